import { describe, expect, it } from 'vitest';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { StoreError } from '$lib/db/device-store';
import { BASE_TIME, EVENT, marketEvent, newSale, nextHlc } from '$lib/db/contract-fixtures';
import { CashBookError } from '$lib/domain/cashbook';
import { uuidv7 } from '$lib/domain/ids';
import { closeCashDay } from './cashbook-close';
import { recordCashMovement } from './cashbook-movement';
import { openCashDay, type CashBookContext } from './cashbook-open';

async function setup() {
  const store = new MemoryDeviceStore();
  await store.saveEvent(marketEvent(EVENT, '2026-05-16'), nextHlc());
  const context: CashBookContext = {
    store,
    newId: () => uuidv7(),
    hlc: nextHlc,
    now: () => BASE_TIME,
  };
  return { store, context };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('cash book services: open the day, record a movement, close the day', () => {
  it('walks a day: float, a cash sale, an expense and a private withdrawal, closed by notes and coins', async () => {
    const { store, context } = await setup();
    await openCashDay(context, EVENT, 'maker-1', 5000);
    await store.recordSale(newSale([{ productId: 'a', priceCents: 1250 }]));
    await recordCashMovement(context, EVENT, {
      kind: 'expense',
      description: '  Parkeren  ',
      amountCents: 300,
    });
    const own = await recordCashMovement(context, EVENT, {
      kind: 'private-withdrawal',
      description: 'Lunch',
      amountCents: 1000,
    });
    expect(own.description).toBe('Lunch');
    const report = await closeCashDay(context, EVENT, {
      pieces: { '2000': 2, '500': 1, '200': 1, '50': 1 },
    });
    expect(report).toMatchObject({
      number: 1,
      expectedCents: 5000 + 1250 - 300 - 1000,
      countedCents: 4750,
      differenceCents: -200,
    });
    expect(report.movements.map((m) => m.description)).toEqual(['Parkeren', 'Lunch']);
  });

  it('refuses bad input before the store is asked, with the field named', async () => {
    const { store, context } = await setup();
    const e1 = await rejection(openCashDay(context, EVENT, 'maker-1', -1));
    expect(e1).toBeInstanceOf(CashBookError);
    expect((e1 as CashBookError).field).toBe('float');
    await openCashDay(context, EVENT, 'maker-1', 100);
    const pending = await store.pendingCount();
    for (const [input, field] of [
      [{ kind: 'lottery', description: 'x', amountCents: 1 }, 'kind'],
      [{ kind: 'expense', description: 'a\u0000', amountCents: 1 }, 'description'],
      [{ kind: 'expense', description: 'x', amountCents: 0.5 }, 'amount'],
    ] as const) {
      const e = await rejection(recordCashMovement(context, EVENT, input));
      expect(e).toBeInstanceOf(CashBookError);
      expect((e as CashBookError).field).toBe(field);
    }
    const count = await rejection(closeCashDay(context, EVENT, { pieces: { '3': 1 } }));
    expect((count as CashBookError).field).toBe('pieces');
    expect(await store.pendingCount()).toBe(pending);
  });

  it('a movement that would make the book negative is refused by the store with the reason', async () => {
    const { context } = await setup();
    await openCashDay(context, EVENT, 'maker-1', 100);
    const e = await rejection(
      recordCashMovement(context, EVENT, {
        kind: 'bank-deposit',
        description: 'Naar de bank',
        amountCents: 101,
      }),
    );
    expect(e).toBeInstanceOf(StoreError);
    expect(((e as StoreError).cause as CashBookError).code).toBe('negative');
  });
});
