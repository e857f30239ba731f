/**
 * Tables whose rows some screen shows: stock, sales and figures (the till, the sales screen),
 * products, events, the profile, and the meta rows (the current event is a setting). A write
 * elsewhere (the outbox alone, a saved cart) changes nothing another tab shows.
 */
export const SHOWN_TABLES: ReadonlySet<string> = new Set([
  'meta',
  'profile',
  'products',
  'photos',
  'events',
  'stalls',
  'assignments',
  'eventStock',
  'stockMovements',
  'sales',
  'saleLines',
  'summaries',
  'eventMaps',
  'announcements',
  'makerResults',
  // What Stripe said of sales paid on the stall's payment link (the sales screen's split).
  'linkPayments',
  // The maker's settlements of those sales (the sales screen's split and its prompt).
  'linkSettlements',
]);

/**
 * The tables of database `dbName` named by Dexie's mutated parts (keys like
 * `idb://kraam/sales/` or `idb://kraam/sales/[eventId+receiptNumber]`).
 */
export function changedTables(partKeys: Iterable<string>, dbName: string): Set<string> {
  const prefix = `idb://${dbName}/`;
  const tables = new Set<string>();
  for (const key of partKeys) {
    if (!key.startsWith(prefix)) continue;
    const table = key.slice(prefix.length).split('/')[0];
    if (table) tables.add(table);
  }
  return tables;
}

/** Whether a change to these tables can change what a screen shows. */
export function changesScreens(tables: Iterable<string>): boolean {
  for (const table of tables) if (SHOWN_TABLES.has(table)) return true;
  return false;
}

/**
 * Calls `onChange` after every committed write to database `dbName` that a screen shows, in
 * this tab or in any other tab of this browser profile: Dexie announces each committed
 * transaction's changed parts to the other tabs on a BroadcastChannel and fires
 * `storagemutated` in every tab (the same signal its liveQuery uses). Returns the function
 * that stops watching. Dexie is loaded here, not with the page (it is not in the till's first
 * load: docs/style.md rule 12); no write can happen before the store that loads it too.
 */
export function watchStoreChanges(dbName: string, onChange: () => void): () => void {
  const listener = (parts: Record<string, unknown>) => {
    if (changesScreens(changedTables(Object.keys(parts), dbName))) onChange();
  };
  let stopped = false;
  let stop = () => undefined as void;
  void import('dexie').then(({ Dexie }) => {
    if (stopped) return;
    Dexie.on('storagemutated', listener);
    stop = () => Dexie.on('storagemutated').unsubscribe(listener);
  });
  return () => {
    stopped = true;
    stop();
  };
}
