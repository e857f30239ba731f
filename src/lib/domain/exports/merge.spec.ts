import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareEntries, type JournalEntry } from './journal';
import { flatPages, mergedPages } from './merge';
import { exportRefund, exportSale } from './testing';

async function* pagesOf(entries: readonly JournalEntry[], sizes: readonly number[]) {
  let at = 0;
  let i = 0;
  while (at < entries.length) {
    const size = sizes[i++ % sizes.length]!;
    yield entries.slice(at, at + size);
    at += size;
  }
}

async function all<T>(pages: AsyncIterable<readonly T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const entry of flatPages(pages)) out.push(entry);
  return out;
}

describe('mergedPages', () => {
  it('[EXP19] two time-ordered page streams of any page sizes give one stream in time order, nothing lost or repeated', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 15 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 4 }),
        async (saleTimes, refundTimes, saleSizes, refundSizes) => {
          const made = saleTimes.map((t, n) =>
            exportSale(n + 1, [{ productId: 'p', price: 100, quantity: 1, vatRate: 21 }], {
              createdAt: t * 1000,
            }),
          );
          const sales: JournalEntry[] = made
            .map((m): JournalEntry => ({ kind: 'sale', sale: m.sale, lines: m.lines }))
            .sort(compareEntries);
          const refunds: JournalEntry[] = made.length
            ? refundTimes
                .map((t, n): JournalEntry => {
                  const m = made[n % made.length]!;
                  const refund = exportRefund(m, [], {
                    id: `r${n}`,
                    reason: 'Terug',
                    createdAt: t * 1000,
                    lines: [{ saleLineId: m.lines[0]!.id, quantity: 1 }],
                  });
                  return { kind: 'refund', refund, sale: m.sale, lines: m.lines };
                })
                .sort(compareEntries)
            : [];
          const merged = await all(
            mergedPages(pagesOf(sales, saleSizes), pagesOf(refunds, refundSizes)),
          );
          expect(merged).toEqual([...sales, ...refunds].sort(compareEntries));
        },
      ),
      { seed: 9, numRuns: 200 },
    );
  });

  it('[EXP19] an empty page from a source does not end it', async () => {
    const m = exportSale(1, [{ productId: 'p', price: 100, quantity: 1, vatRate: 21 }]);
    const sale: JournalEntry = { kind: 'sale', sale: m.sale, lines: m.lines };
    async function* withEmpty() {
      yield [];
      yield [sale];
    }
    async function* none() {}
    expect(await all(mergedPages(withEmpty(), none()))).toEqual([sale]);
  });
});
