// The names of a WASM module's exported functions by function index (the index V8's profiler
// shows as `wasm-function[N]` when the module has no name section, as PGlite's pglite.wasm):
// read from the module's export section (section 7). Used by bench/pglite-phases.js.
import { readFileSync } from 'node:fs';

/** @returns {Map<number, string>} function index -> export name */
export function wasmExportNames(path) {
  const bytes = readFileSync(path);
  let at = 8; // magic and version
  const leb = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if ((byte & 0x80) === 0) return result;
    }
  };
  const names = new Map();
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = leb();
    const end = at + size;
    if (id === 7) {
      const count = leb();
      for (let i = 0; i < count; i++) {
        const length = leb();
        const name = bytes.toString('utf8', at, at + length);
        at += length;
        const kind = bytes[at++];
        const index = leb();
        if (kind === 0) names.set(index, name);
      }
    }
    at = end;
  }
  return names;
}
