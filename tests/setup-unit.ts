// IndexedDB for Dexie in Node: every unit test that touches the device store runs on
// fake-indexeddb, the same API the browser has.
import 'fake-indexeddb/auto';
