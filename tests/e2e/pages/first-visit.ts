import { expect, type BrowserContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The client build's Vite manifest (source path to chunk), of the build these tests run against. */
export function clientManifest(): Record<string, { file: string; isDynamicEntry?: boolean }> {
  const kitDir = process.env.KRAAM_OUT ? `.svelte-kit-${process.env.KRAAM_OUT}` : '.svelte-kit';
  return JSON.parse(
    readFileSync(join(kitDir, 'output/client/.vite/manifest.json'), 'utf8'),
  ) as Record<string, { file: string; isDynamicEntry?: boolean }>;
}

/**
 * Every script the till loads on first use (src/routes/till/dialogs.ts) that is a chunk of
 * its own in the build these tests run against.
 */
export function lazyTillChunks(): string[] {
  const manifest = clientManifest();
  const dialogs = readFileSync('src/routes/till/dialogs.ts', 'utf8');
  const sources = [...dialogs.matchAll(/import\('([^']+)'\)/g)].map(([, path]) =>
    path!.replace(/^\.\//, 'src/routes/till/').replace(/^\$lib\//, 'src/lib/'),
  );
  expect(sources.length).toBeGreaterThan(5);
  const chunks = sources.flatMap((source) => {
    const entry = manifest[source];
    return entry?.isDynamicEntry ? [entry.file] : [];
  });
  expect(chunks.length).toBe(sources.length);
  return chunks;
}

/**
 * A phone whose network goes before anything the till loads on first use arrives (the
 * preload included): every request for those chunks fails as it would offline. Returns the
 * chunks' file names.
 */
export async function loseLazyTillChunks(context: BrowserContext): Promise<string[]> {
  const chunks = lazyTillChunks();
  await context.route(
    (url) => chunks.some((file) => url.pathname.endsWith(`/${file}`)),
    (route) => route.abort('internetdisconnected'),
  );
  return chunks;
}

/**
 * The chunks of the code a sale needs after the till's first paint, which the till asks for
 * as it starts (`till.preloadSalePath()` in src/lib/state/till.svelte.ts): the device store
 * and the write services, in the build these tests run against.
 */
export function salePathChunks(): string[] {
  const manifest = clientManifest();
  const sources = [
    'src/lib/db/dexie-store.ts',
    'src/lib/services/sell.ts',
    'src/lib/services/void.ts',
    'src/lib/services/restock.ts',
  ];
  const chunks = sources.flatMap((source) => {
    const entry = manifest[source];
    return entry?.isDynamicEntry ? [entry.file] : [];
  });
  // The store at least is a chunk of its own (src/lib/db/index.ts loads it on first use).
  expect(chunks).toContain(manifest['src/lib/db/dexie-store.ts']?.file);
  return chunks;
}

/** Records which of `chunks` the page has fetched; `missing()` lists the others. */
export function watchChunks(page: Page, chunks: string[]): { missing: () => string[] } {
  const fetched = new Set<string>();
  page.on('requestfinished', (request) => {
    const file = chunks.find((c) => new URL(request.url()).pathname.endsWith(`/${c}`));
    if (file) fetched.add(file);
  });
  return { missing: () => chunks.filter((c) => !fetched.has(c)) };
}
