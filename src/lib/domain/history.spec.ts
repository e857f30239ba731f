import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bestSellersOver,
  eventFigures,
  historyReport,
  monthFigures,
  previousEdition,
  sideBySide,
  twelveMonthsTo,
  yearFigures,
  type HistoryEvent,
} from './history';
import { yearTurnover } from './kor';
import { planRefund } from './refund';
import { exportSale } from './exports/testing';
import {
  applyRefund,
  applySale,
  applyVoid,
  emptySummary,
  hourKey,
  monthKey,
  recompute,
} from './summary';
import type { EventSummaryAggregate, MarketEvent, Refund, Sale, SaleLine } from './types';

interface LineSpec {
  productId: string;
  unitPriceCents: number;
  quantity: number;
}

let saleNumber = 0;

function makeSale(
  eventId: string,
  specs: LineSpec[],
  createdAt: number,
  method: 'cash' | 'qr' = 'cash',
): { sale: Sale; lines: SaleLine[] } {
  saleNumber += 1;
  const lines = specs.map(({ productId, unitPriceCents, quantity }) => ({
    productId,
    price: unitPriceCents,
    quantity,
    vatRate: 9 as const,
  }));
  return exportSale(saleNumber, lines, { method, eventId, createdAt });
}

function event(
  id: string,
  date: string,
  seriesId: string | null = null,
): Pick<MarketEvent, 'id' | 'name' | 'date' | 'seriesId'> {
  return { id, name: `Markt ${id}`, date, seriesId };
}

const hourOf = (sale: Sale) => hourKey(sale.createdAt, 60);

function refundOf(
  entry: { sale: Sale; lines: SaleLine[] },
  earlier: Refund[],
  lines: 'all' | { saleLineId: string; quantity: number }[],
  createdAt: number,
  id: string,
): Refund {
  return planRefund(
    entry.sale,
    entry.lines,
    earlier,
    { id, saleId: entry.sale.id, reason: 'kapot', createdAt, hlc: `hlc-r-${id}`, lines },
    'device-1',
  );
}

describe('monthKey and the calendar year (Europe/Amsterdam)', () => {
  it('a sale at 23:30 on 31 December Amsterdam time belongs to that year, 00:30 on 1 January to the next', () => {
    // 23:30 CET is 22:30 UTC; 00:30 CET on 1 January is still 31 December in UTC.
    expect(monthKey(Date.UTC(2026, 11, 31, 22, 30))).toBe('2026-12');
    expect(monthKey(Date.UTC(2026, 11, 31, 23, 30))).toBe('2027-01');
    // Summer time: 00:30 on 1 June CEST is 22:30 UTC on 31 May.
    expect(monthKey(Date.UTC(2026, 4, 31, 22, 30))).toBe('2026-06');
    expect(monthKey(Number.MAX_SAFE_INTEGER)).toBe('0000-00');
  });

  it('the year so far counts the late-evening sale in its Amsterdam year', () => {
    const late = makeSale(
      'e1',
      [{ productId: 'p', unitPriceCents: 500, quantity: 1 }],
      Date.UTC(2026, 11, 31, 22, 30),
    );
    const newYear = makeSale(
      'e1',
      [{ productId: 'p', unitPriceCents: 700, quantity: 1 }],
      Date.UTC(2026, 11, 31, 23, 30),
    );
    let summary = emptySummary('e1');
    for (const s of [late, newYear]) summary = applySale(summary, s.sale, s.lines, hourOf(s.sale));
    const inputs: HistoryEvent[] = [{ event: event('e1', '2026-12-31'), summary }];
    expect(yearFigures(inputs, 2026)).toEqual({
      year: 2026,
      revenueCents: 500,
      salesCount: 1,
      averageSaleCents: 500,
    });
    expect(yearFigures(inputs, 2027).revenueCents).toBe(700);
  });
});

describe('history figures are net of refunds and voids', () => {
  it('a refund comes off the event, its month, the year, the payment it went back by and the best sellers; a void takes its sale out', () => {
    const e1 = 'e1';
    const may = Date.UTC(2026, 4, 16, 10);
    const june = Date.UTC(2026, 5, 2, 10);
    const a = makeSale(
      e1,
      [
        { productId: 'bread', unitPriceCents: 400, quantity: 3 },
        { productId: 'jam', unitPriceCents: 600, quantity: 1 },
      ],
      may,
    );
    const b = makeSale(e1, [{ productId: 'jam', unitPriceCents: 600, quantity: 2 }], may, 'qr');
    const c = makeSale(e1, [{ productId: 'bread', unitPriceCents: 400, quantity: 5 }], may);
    let summary = emptySummary(e1);
    for (const s of [a, b, c]) summary = applySale(summary, s.sale, s.lines, hourOf(s.sale));
    // Two loaves of sale a go back in June; sale c is voided.
    const refund = refundOf(
      a,
      [],
      [{ saleLineId: (a.lines[0] as SaleLine).id, quantity: 2 }],
      june,
      'r1',
    );
    summary = applyRefund(summary, refund, hourOf(a.sale));
    summary = applyVoid(summary, c.sale, c.lines, hourOf(c.sale));

    const figures = eventFigures({ event: event(e1, '2026-05-16'), summary });
    expect(figures.revenueCents).toBe(1800 + 1200 - 800);
    expect(figures.salesCount).toBe(2);
    expect(figures.itemCount).toBe(4 + 2 - 2);
    expect(figures.averageSaleCents).toBe(1100);
    expect(figures.cashCents).toBe(1800 - 800);
    expect(figures.otherCents).toBe(1200);
    expect(figures.refundCount).toBe(1);
    expect(figures.refundedCents).toBe(800);
    expect(figures.voidCount).toBe(1);
    expect(figures.bestSellers.map((p) => [p.productId, p.quantity, p.cents])).toEqual([
      ['jam', 3, 1800],
      ['bread', 1, 400],
    ]);
    const inputs = [{ event: event(e1, '2026-05-16'), summary }];
    expect(monthFigures(inputs, '2026-04', '2026-06')).toEqual([
      { month: '2026-04', count: 0, cents: 0 },
      { month: '2026-05', count: 2, cents: 3000 },
      { month: '2026-06', count: 0, cents: -800 },
    ]);
    expect(yearFigures(inputs, 2026).revenueCents).toBe(2200);
  });

  it('an aggregate stored before months were kept gets none from later sales (never half counted)', () => {
    const old: EventSummaryAggregate = { ...emptySummary('e1') };
    delete old.byMonth;
    const s = makeSale(
      'e1',
      [{ productId: 'p', unitPriceCents: 100, quantity: 1 }],
      Date.UTC(2026, 0, 5),
    );
    const next = applySale(old, s.sale, s.lines, hourOf(s.sale));
    expect(next.byMonth).toBeUndefined();
    expect(next.revenueCents).toBe(100);
  });
});

describe('comparing events', () => {
  it('puts two events side by side with the difference, right minus left', () => {
    const s1 = makeSale(
      'e1',
      [{ productId: 'p', unitPriceCents: 1000, quantity: 2 }],
      Date.UTC(2026, 3, 1),
    );
    const s2 = makeSale(
      'e2',
      [{ productId: 'p', unitPriceCents: 1000, quantity: 1 }],
      Date.UTC(2026, 4, 1),
    );
    const left = {
      event: event('e1', '2026-04-01'),
      summary: applySale(emptySummary('e1'), s1.sale, s1.lines, hourOf(s1.sale)),
    };
    const right = {
      event: event('e2', '2026-05-01'),
      summary: applySale(emptySummary('e2'), s2.sale, s2.lines, hourOf(s2.sale)),
    };
    const both = sideBySide(left, right);
    expect(both.left.revenueCents).toBe(2000);
    expect(both.right.revenueCents).toBe(1000);
    expect(both.difference).toEqual({
      revenueCents: -1000,
      salesCount: 0,
      itemCount: -1,
      averageSaleCents: -1000,
    });
  });

  it('finds the previous edition of a series by date; an event without a series has none', () => {
    const inputs: HistoryEvent[] = [
      { event: event('spring-25', '2025-04-12', 'series-a'), summary: emptySummary('spring-25') },
      { event: event('spring-26', '2026-04-11', 'series-a'), summary: emptySummary('spring-26') },
      { event: event('autumn-25', '2025-10-04', 'series-a'), summary: emptySummary('autumn-25') },
      { event: event('other', '2026-01-01', 'series-b'), summary: emptySummary('other') },
      { event: event('mine', '2026-03-01'), summary: emptySummary('mine') },
    ];
    expect(previousEdition(inputs, 'spring-26')?.event.id).toBe('autumn-25');
    expect(previousEdition(inputs, 'autumn-25')?.event.id).toBe('spring-25');
    expect(previousEdition(inputs, 'spring-25')).toBeUndefined();
    expect(previousEdition(inputs, 'mine')).toBeUndefined();
    expect(previousEdition(inputs, 'unknown')).toBeUndefined();
  });

  it('names twelve months ending with the current one', () => {
    expect(twelveMonthsTo('2026-12')).toEqual({ from: '2026-01', to: '2026-12' });
    expect(twelveMonthsTo('2026-03')).toEqual({ from: '2025-04', to: '2026-03' });
    expect(monthFigures([], '2025-04', '2026-03')).toHaveLength(12);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: the aggregates kept sale by sale (sales, voids, refunds across events) equal the
// aggregates recounted from scratch, and the history figures read from them equal a plain
// tally of the sales and refunds.

type Op =
  | { kind: 'sale'; event: number; lines: LineSpec[]; minutes: number; qr: boolean }
  | { kind: 'void'; pick: number }
  | { kind: 'refund'; pick: number; all: boolean; quantity: number; minutes: number };

const EVENTS = [
  event('e0', '2025-12-31', 'series'),
  event('e1', '2026-01-01', 'series'),
  event('e2', '2026-06-30'),
];
// Around the turn of the year in Amsterdam, so months and years are put to the test.
const START = Date.UTC(2025, 11, 31, 20, 0);

const lineArb: fc.Arbitrary<LineSpec> = fc.record({
  productId: fc.constantFrom('p1', 'p2', 'p3'),
  unitPriceCents: fc.integer({ min: 0, max: 5_000 }),
  quantity: fc.integer({ min: 1, max: 4 }),
});

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('sale' as const),
      event: fc.integer({ min: 0, max: EVENTS.length - 1 }),
      lines: fc.array(lineArb, { minLength: 1, maxLength: 3 }),
      minutes: fc.integer({ min: 0, max: 8 * 60 }),
      qr: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('refund' as const),
      pick: fc.nat(),
      all: fc.boolean(),
      quantity: fc.integer({ min: 1, max: 4 }),
      minutes: fc.integer({ min: 0, max: 60 * 24 * 40 }),
    }),
  },
);

describe('history property', () => {
  it('aggregates kept sale by sale, void by void and refund by refund equal a full recount, and the history read from them equals a plain tally', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 50 }), (ops) => {
        const recorded: { sale: Sale; lines: SaleLine[] }[] = [];
        const refunds = new Map<string, Refund[]>();
        const summaries = new Map(EVENTS.map((e) => [e.id, emptySummary(e.id)]));
        let refundNumber = 0;
        const set = (s: EventSummaryAggregate) => summaries.set(s.eventId, s);
        const get = (id: string) => summaries.get(id) as EventSummaryAggregate;
        for (const op of ops) {
          if (op.kind === 'sale') {
            const e = EVENTS[op.event] as (typeof EVENTS)[number];
            const entry = makeSale(
              e.id,
              op.lines,
              START + op.minutes * 60_000,
              op.qr ? 'qr' : 'cash',
            );
            recorded.push(entry);
            set(applySale(get(e.id), entry.sale, entry.lines, hourOf(entry.sale)));
            continue;
          }
          // Voids only of sales without refunds (the store refuses the others).
          const open = recorded.filter(
            (r) =>
              r.sale.status === 'completed' && (op.kind === 'refund' || !refunds.has(r.sale.id)),
          );
          const entry = open[op.pick % Math.max(1, open.length)];
          if (!entry) continue;
          if (op.kind === 'void') {
            set(applyVoid(get(entry.sale.eventId), entry.sale, entry.lines, hourOf(entry.sale)));
            entry.sale = { ...entry.sale, status: 'voided', voidReason: 'mis', voidedAt: 1 };
            continue;
          }
          const earlier = refunds.get(entry.sale.id) ?? [];
          const line = entry.lines[op.pick % entry.lines.length] as SaleLine;
          const left =
            line.quantity -
            earlier
              .flatMap((r) => r.lines)
              .filter((l) => l.saleLineId === line.id)
              .reduce((s, l) => s + l.quantity, 0);
          if (!op.all && left < 1) continue;
          let refund: Refund;
          try {
            refundNumber += 1;
            refund = refundOf(
              entry,
              earlier,
              op.all ? 'all' : [{ saleLineId: line.id, quantity: Math.min(op.quantity, left) }],
              entry.sale.createdAt + op.minutes * 60_000,
              `r${refundNumber}`,
            );
          } catch {
            continue; // everything refunded already
          }
          refunds.set(entry.sale.id, [...earlier, refund]);
          set(applyRefund(get(entry.sale.eventId), refund, hourOf(entry.sale)));
        }

        const linesBySaleId = new Map(recorded.map((r) => [r.sale.id, r.lines]));
        const inputs: HistoryEvent[] = EVENTS.map((e) => {
          const recount = recompute(
            e.id,
            recorded.map((r) => r.sale),
            linesBySaleId,
            hourOf,
            refunds,
          );
          expect(recount).toEqual(get(e.id));
          return { event: e, summary: get(e.id) };
        });

        // A plain tally from the records.
        const counts = recorded.filter((r) => r.sale.status === 'completed');
        const countedRefunds = counts.flatMap((r) => refunds.get(r.sale.id) ?? []);
        for (const e of EVENTS) {
          const sales = counts.filter((r) => r.sale.eventId === e.id);
          const back = countedRefunds.filter((r) => r.eventId === e.id);
          const figures = eventFigures({ event: e, summary: get(e.id) });
          const revenue =
            sales.reduce((s, r) => s + r.sale.totalCents, 0) -
            back.reduce((s, r) => s + r.totalCents, 0);
          expect(figures.revenueCents).toBe(revenue);
          expect(figures.salesCount).toBe(sales.length);
          expect(figures.cashCents + figures.otherCents).toBe(revenue);
          expect(figures.refundedCents).toBe(back.reduce((s, r) => s + r.totalCents, 0));
        }
        for (const year of [2025, 2026]) {
          // The year so far is the KOR turnover of that year (kor.ts counts it from the sales).
          const turnover = yearTurnover(
            {
              sales: recorded.map((r) => r.sale),
              refunds: countedRefunds.map((r) => ({
                createdAt: r.createdAt,
                amountCents: r.totalCents,
              })),
            },
            year,
          );
          expect(yearFigures(inputs, year).revenueCents).toBe(turnover);
        }
        const months = monthFigures(inputs, '2025-12', '2026-03');
        expect(months.reduce((s, m) => s + m.cents, 0)).toBe(
          inputs.reduce((s, i) => s + i.summary.revenueCents, 0),
        );
        const quantities = new Map<string, number>();
        for (const r of counts)
          for (const l of r.lines)
            quantities.set(l.productId, (quantities.get(l.productId) ?? 0) + l.quantity);
        for (const rf of countedRefunds)
          for (const l of rf.lines)
            quantities.set(l.productId, (quantities.get(l.productId) ?? 0) - l.quantity);
        const best = bestSellersOver(inputs, { from: '2025-01-01', to: '2026-12-31' }, 10);
        expect(Object.fromEntries(best.map((b) => [b.productId, b.quantity]))).toEqual(
          Object.fromEntries([...quantities].filter(([, q]) => q !== 0)),
        );
        const report = historyReport(inputs, '2026-01');
        expect(report.revenueCents).toBe(inputs.reduce((s, i) => s + i.summary.revenueCents, 0));
        expect(report.salesCount).toBe(counts.length);
      }),
      { seed: 20261206, numRuns: 300 },
    );
  });
});
