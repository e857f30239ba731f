import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXPORT_COLUMNS, JOURNAL_HEADERS } from '$lib/domain/exports';
import { money, type CsvCell } from '$lib/domain/organiser/csv';
import { fileBuilder, type FileSpec, type Rows } from './file-builder';
import {
  AHEAD,
  serveXlsx,
  workerXlsxBuilder,
  type FromWorker,
  type WorkerLike,
} from './file-worker-protocol';
import { channelWorker } from './file-worker-testing';
import { readXlsx } from './xlsx-testing';

const cell = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constantFrom('2026-05-16', '23:59', ' padded ', 'a;b"c', '\u0000', '\ud800', 'كعك'),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  fc.integer({ min: -(2 ** 40), max: 2 ** 40 }).map(money),
  fc.constant(null),
);
const pages = fc.array(fc.array(fc.array(cell, { maxLength: 10 }), { maxLength: 40 }), {
  maxLength: 7,
});

async function made(
  spec: FileSpec,
  rows: readonly Rows[],
  worker?: WorkerLike,
): Promise<Uint8Array> {
  const builder = worker ? await workerXlsxBuilder(worker, spec) : await fileBuilder(spec);
  for (const page of rows) await builder.add(page);
  return new Uint8Array(await (await builder.finish()).arrayBuffer());
}

describe("the export's worker", () => {
  // The zip stamps each part with the time: the same clock for both files.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 11, 7, 7, 0));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('[EXP24] the xlsx compressed in the worker is byte for byte the one made on the page, any pages of rows', async () => {
    await fc.assert(
      fc.asyncProperty(pages, fc.boolean(), async (rows, rightToLeftHeaders) => {
        const spec: FileSpec = {
          format: 'xlsx',
          headers: rightToLeftHeaders ? ['التاريخ', 'a&b'] : JOURNAL_HEADERS.nl,
          sheet: 'verkoopjournaal',
          columns: EXPORT_COLUMNS.journal,
        };
        const worker = channelWorker();
        const there = await made(spec, rows, worker);
        expect(there).toEqual(await made(spec, rows));
        expect(worker.mostAhead).toBeLessThanOrEqual(AHEAD);
        expect(worker.terminated).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('[EXP24] a year of pages: at most a page or two in flight, never the whole period, and the xlsx reads back every row', async () => {
    const spec: FileSpec = {
      format: 'xlsx',
      headers: JOURNAL_HEADERS.en,
      sheet: 'journal',
      columns: EXPORT_COLUMNS.journal,
    };
    const page = (p: number): CsvCell[][] =>
      Array.from({ length: 500 }, (_, i) => [
        '2026-05-16',
        '10:15',
        `#${p * 500 + i}`,
        'sale',
        'Baklava',
        2,
        money(450),
        9,
        money(900),
      ]);
    const rows = Array.from({ length: 40 }, (_, p) => page(p));
    const worker = channelWorker();
    const bytes = await made(spec, rows, worker);
    expect(worker.mostAhead).toBeGreaterThan(0);
    expect(worker.mostAhead).toBeLessThanOrEqual(AHEAD);
    const book = readXlsx(bytes);
    expect(book.rows).toHaveLength(40 * 500 + 1);
    expect(bytes).toEqual(await made(spec, rows));
  });

  it('[EXP24] hostile text through the worker: formulas stay text, NUL and lone surrogates become U+FFFD, a cell past 32,767 characters is cut there (never through a pair); every part well-formed', async () => {
    const long = 'x'.repeat(32_766) + '\u{1F600}' + 'y'.repeat(10);
    const hostile = [
      '=HYPERLINK("https://evil.example","klik")',
      '+31 6 1234',
      '-2+3',
      '@SUM(A1:A9)',
      '\uff1dcmd',
      'nul\u0000here',
      'lone \ud800 high',
      'lone \udc00 low',
      '<b>&amp;</b>"',
      ' \t edge \r\n',
      'x'.repeat(40_000),
      long,
    ];
    const spec: FileSpec = { format: 'xlsx', headers: ['naam', '=1+1'], sheet: 'x' };
    const worker = channelWorker();
    const bytes = await made(spec, [hostile.map((text) => [text, text.slice(0, 5)])], worker);
    const book = readXlsx(bytes);
    expect(worker.terminated).toBe(true);
    const sheet = new TextDecoder().decode(book.files['xl/worksheets/sheet1.xml']);
    expect(sheet).not.toMatch(/<f[ >]/);
    const texts = book.rows.slice(1).map((row) => row[0]?.value);
    expect(book.rows[0]?.map((c) => c.value)).toEqual(['naam', '=1+1']);
    expect(texts.slice(0, 5)).toEqual(hostile.slice(0, 5));
    expect(texts[5]).toBe('nul\ufffdhere');
    expect(texts[6]).toBe('lone \ufffd high');
    expect(texts[7]).toBe('lone \ufffd low');
    expect(texts[8]).toBe('<b>&amp;</b>"');
    expect(texts[9]).toBe(' \t edge \r\n');
    expect(texts[10]).toBe('x'.repeat(32_767));
    // The 32,767th unit is the first half of a pair: the pair is not split into a lone half.
    expect((texts[11] as string).length).toBeLessThanOrEqual(32_767);
    expect(texts[11]).toMatch(/^x{32766}\ufffd?$/);
    for (const row of book.rows.slice(1)) expect(typeof row[0]?.value).toBe('string');
    // The page makes the same file.
    expect(bytes).toEqual(await made(spec, [hostile.map((text) => [text, text.slice(0, 5)])]));
  });

  it('[EXP24] a row the writer refuses fails the export with its reason; a failure in the worker fails it too and ends the worker', async () => {
    const spec: FileSpec = { format: 'xlsx', headers: ['a'], sheet: 'x' };
    const worker = channelWorker();
    const builder = await workerXlsxBuilder(worker, spec);
    await builder.add([['ok']]);
    await expect(builder.add([[Number.POSITIVE_INFINITY]])).rejects.toThrow(/not a finite number/);
    // The export is over: its worker is ended, not left holding the half-made file.
    expect(worker.terminated).toBe(true);
    await expect(builder.finish()).rejects.toThrow(/not a finite number/);
    // The worker's side: out of order, it answers `failed` once and nothing after.
    const answers: FromWorker[] = [];
    const handle = serveXlsx((message) => answers.push(message));
    handle({ type: 'xml', batches: ['<row/>'] });
    handle({ type: 'start', sheet: 'x' });
    handle({ type: 'end', last: '' });
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answers).toEqual([{ type: 'failed', message: 'export worker: not started' }]);
    // The page's side: a `failed` answer rejects what waits and ends the worker.
    const listeners: ((event: MessageEvent<FromWorker>) => void)[] = [];
    let terminated = false;
    const failing: WorkerLike = {
      postMessage(message) {
        const answer: FromWorker =
          message.type === 'start' ? { type: 'ready' } : { type: 'failed', message: 'disk full' };
        queueMicrotask(() =>
          listeners.forEach((l) => l({ data: answer } as MessageEvent<FromWorker>)),
        );
      },
      addEventListener(type: 'message' | 'error', listener: (event: never) => void) {
        if (type === 'message')
          listeners.push(listener as (event: MessageEvent<FromWorker>) => void);
      },
      terminate() {
        terminated = true;
      },
    };
    const failed = await workerXlsxBuilder(failing, spec);
    await failed.add(Array.from({ length: 3000 }, () => ['a row long enough to fill batches']));
    await expect(failed.finish()).rejects.toThrow('disk full');
    expect(terminated).toBe(true);
  });

  it('[EXP24] a worker that cannot start (its script refused) rejects at once, so the page can make the file itself', async () => {
    const listeners: ((event: Event) => void)[] = [];
    let terminated = false;
    const broken: WorkerLike = {
      postMessage() {
        queueMicrotask(() => listeners.forEach((l) => l(new Event('error'))));
      },
      addEventListener(type: 'message' | 'error', listener: (event: never) => void) {
        if (type === 'error') listeners.push(listener as (event: Event) => void);
      },
      terminate() {
        terminated = true;
      },
    };
    await expect(
      workerXlsxBuilder(broken, { format: 'xlsx', headers: ['a'], sheet: 'x' }),
    ).rejects.toThrow(/export worker/);
    expect(terminated).toBe(true);
  });
});
