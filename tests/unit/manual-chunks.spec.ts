// The first-load chunks of vite.config.ts (issue 11, the cold start): a module that reaches
// Paraglide's barrel of every message stays out of the `shell` and `till` chunks, or Rollup
// would move the barrel (every message of every screen) into the till's first load.
import { describe, expect, it } from 'vitest';
import { manualChunks } from '../../vite.config';

/** A module graph as Rollup's getModuleInfo gives it: id -> the ids it imports statically. */
function graph(imports: Record<string, string[]>) {
  const importers = new Map<string, string[]>();
  for (const [id, deps] of Object.entries(imports)) {
    for (const dep of deps) importers.set(dep, [...(importers.get(dep) ?? []), id]);
  }
  return {
    getModuleInfo: (id: string) =>
      id in imports || importers.has(id)
        ? { importers: importers.get(id) ?? [], importedIds: imports[id] ?? [] }
        : null,
  };
}

describe('the first-load chunks (vite.config.ts manualChunks)', () => {
  it('keeps out of the till’s chunk a module that reaches the messages only through an import cycle, whichever module is asked first', () => {
    const root = '/app/src';
    const page = `${root}/routes/till/+page.svelte`;
    const a = `${root}/lib/cycle-a.ts`;
    const b = `${root}/lib/cycle-b.ts`;
    const words = `${root}/lib/words.ts`;
    const messages = `${root}/lib/paraglide/messages.js`;
    const plain = `${root}/lib/plain.ts`;
    const meta = graph({
      [page]: [a, plain],
      [a]: [b, words],
      [b]: [a],
      [words]: [messages],
      [plain]: [],
      [messages]: [],
    });
    // a asked first: b is met while a is still being looked at.
    expect(manualChunks(a, meta)).toBeUndefined();
    expect(manualChunks(b, meta)).toBeUndefined();
    expect(manualChunks(words, meta)).toBeUndefined();
    expect(manualChunks(plain, meta)).toBe('till');
  });
});
