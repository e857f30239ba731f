// The build's output: kysely's circular-dependency warnings are dropped, nothing else
// (scripts/build-warnings.js).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rollup } from 'rollup';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  filteredWarn,
  isQuietDependencyWarning,
  quietDependencyWarnings,
} from '../../scripts/build-warnings.js';
import svelteConfig from '../../svelte.config.js';

// Lines as adapter-node's Rollup run printed them before.
const KYSELY_SHORT =
  'Circular dependency: node_modules/kysely/dist/esm/parser/reference-parser.js -> node_modules/kysely/dist/esm/parser/order-by-parser.js -> node_modules/kysely/dist/esm/parser/reference-parser.js';
const KYSELY_LONG =
  'Circular dependency: node_modules/kysely/dist/esm/parser/expression-parser.js -> node_modules/kysely/dist/esm/expression/expression-builder.js -> node_modules/kysely/dist/esm/query-builder/select-query-builder.js -> node_modules/kysely/dist/esm/parser/join-parser.js -> node_modules/kysely/dist/esm/parser/binary-operation-parser.js -> node_modules/kysely/dist/esm/parser/reference-parser.js -> node_modules/kysely/dist/esm/parser/expression-parser.js';
const UNRESOLVED =
  '"@opentelemetry/api" is imported by "node_modules/@better-auth/core/dist/instrumentation/api.mjs", but could not be resolved – treating it as an external dependency.';

describe('isQuietDependencyWarning', () => {
  it("matches kysely's own import cycles", () => {
    expect(isQuietDependencyWarning(KYSELY_SHORT)).toBe(true);
    expect(isQuietDependencyWarning(KYSELY_LONG)).toBe(true);
    expect(
      isQuietDependencyWarning(
        'Circular dependency: /srv/kraam/node_modules/kysely/a.js -> /srv/kraam/node_modules/kysely/b.js -> /srv/kraam/node_modules/kysely/a.js',
      ),
    ).toBe(true);
  });

  it('lets every other warning through', () => {
    for (const other of [
      UNRESOLVED,
      // A cycle in our own code, or one that passes through it, is ours to read.
      'Circular dependency: src/lib/a.ts -> src/lib/b.ts -> src/lib/a.ts',
      'Circular dependency: node_modules/kysely/dist/esm/a.js -> src/lib/db.ts -> node_modules/kysely/dist/esm/a.js',
      // Another package's cycle, or a package whose name only starts like kysely's.
      'Circular dependency: node_modules/zod/a.js -> node_modules/zod/b.js -> node_modules/zod/a.js',
      'Circular dependency: node_modules/kysely-extra/a.js -> node_modules/kysely-extra/a.js',
      'Circular dependency: node_modules/kysely/a.js',
      `${KYSELY_SHORT}\nand more`,
      'node_modules/kysely/dist/esm/index.js has a problem',
      '',
    ]) {
      expect(isQuietDependencyWarning(other), other).toBe(false);
    }
    expect(isQuietDependencyWarning(undefined)).toBe(false);
    expect(isQuietDependencyWarning({ message: KYSELY_SHORT })).toBe(false);
  });

  it('hands everything else to the real console.warn, arguments untouched', () => {
    const printed: unknown[][] = [];
    const warn = filteredWarn((...args) => printed.push(args));
    warn(KYSELY_LONG);
    warn(UNRESOLVED);
    warn(KYSELY_SHORT, 'with a second argument');
    expect(printed).toEqual([[UNRESOLVED], [KYSELY_SHORT, 'with a second argument']]);
  });
});

describe('quietDependencyWarnings (the adapter svelte.config.js uses)', () => {
  const folders: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('wraps the adapter of svelte.config.js', () => {
    const adapter = svelteConfig.kit?.adapter;
    expect(adapter?.name).toBe('@sveltejs/adapter-node');
    expect(String(adapter?.adapt)).toContain('filteredWarn');
  });

  it("drops kysely's cycles from a real Rollup run over kysely, and keeps other warnings", async () => {
    const printed: string[] = [];
    const spy = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    // A module of our own with a cycle, beside kysely: its warning must still be printed.
    const folder = mkdtempSync(join(tmpdir(), 'kraam-warnings-'));
    folders.push(folder);
    writeFileSync(join(folder, 'a.js'), "import { b } from './b.js'; export const a = () => b;");
    writeFileSync(join(folder, 'b.js'), "import { a } from './a.js'; export const b = () => a;");
    writeFileSync(
      join(folder, 'entry.js'),
      `import { sql } from ${JSON.stringify(join(process.cwd(), 'node_modules/kysely/dist/esm/index.js'))};
       import { a } from './a.js'; console.log(sql, a);`,
    );
    const bundleOf = async () => {
      const bundle = await rollup({ input: join(folder, 'entry.js') });
      await bundle.close();
    };

    // Unwrapped (as before): kysely's cycles are printed.
    await bundleOf();
    const before = printed.splice(0);
    expect(before.filter((line) => line.includes('node_modules/kysely/')).length).toBeGreaterThan(3);

    const adapter = quietDependencyWarnings<{
      name: string;
      adapt: (builder: unknown) => Promise<void>;
    }>({ name: 'test', adapt: bundleOf });
    await adapter.adapt({});
    expect(printed.some((line) => line.includes('node_modules/kysely/'))).toBe(false);
    expect(printed.some((line) => /^Circular dependency: .*a\.js -> .*b\.js/.test(line))).toBe(
      true,
    );
    // console.warn is itself again afterwards.
    expect(console.warn).toBe(spy);
  });
});
