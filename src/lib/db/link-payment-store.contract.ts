/**
 * The payment-link part of the DeviceStore contract (LinkPaymentStore; docs/payments.md,
 * "Offline: the stall's payment link"): pulled `link_payment` records are kept by Stripe's
 * session id (a newer state replaces an older one, a page applied twice changes nothing) and
 * listed with the event's sales paid on the link. Run against every implementation
 * (dexie-store.spec.ts, memory-store.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import type { LinkPaymentRecord } from '$lib/domain/link-payment';
import { uuidv7 } from '$lib/domain/ids';
import type { NewSale } from './device-store';
import {
  BASE_TIME,
  EVENT,
  OPTIONS,
  OTHER_EVENT,
  newSale,
  type MakeStore,
} from './contract-fixtures';

function linkSale(eventId = EVENT): NewSale {
  const sale = newSale([{ productId: 'p1', priceCents: 350, quantity: 3 }], { eventId });
  return {
    ...sale,
    sale: {
      ...sale.sale,
      payments: [
        { method: 'qr', amountCents: 1050, tenderedCents: null, changeCents: null, via: 'link' },
      ],
    },
  };
}

function record(saleId: string | null, overrides: Partial<LinkPaymentRecord> = {}) {
  return {
    id: `cs_test_${uuidv7()}`,
    saleId,
    paidCents: 1050,
    currency: 'eur',
    status: 'paid' as const,
    createdAt: BASE_TIME + 1000,
    ...overrides,
  };
}

const page = (records: LinkPaymentRecord[], cursor = '1.1') => ({
  changes: records.map((data) => ({
    entity: 'link_payment' as const,
    op: 'upsert' as const,
    data,
  })),
  cursor,
  epoch: 'e1',
});

export function linkPaymentStoreContract(name: string, makeStore: MakeStore): void {
  describe(`LinkPaymentStore contract: ${name}`, () => {
    it('[link] the event’s sales paid on the link are listed, awaiting until a record names them; cash sales and other events are not', async () => {
      const { store } = await makeStore(OPTIONS);
      const awaiting = linkSale();
      await store.recordSale(awaiting);
      await store.recordSale(newSale([{ productId: 'p2' }]));
      await store.recordSale(linkSale(OTHER_EVENT));
      const listed = await store.listLinkSales(EVENT);
      expect(listed.map((l) => [l.sale.id, l.records])).toEqual([[awaiting.sale.id, []]]);
      expect(await store.listLinkSales('no-such-event')).toEqual([]);
    });

    it('[G5] a pulled record is kept with its sale; a newer state of the same payment replaces it; the same page twice changes nothing', async () => {
      const { store } = await makeStore(OPTIONS);
      const sold = linkSale();
      await store.recordSale(sold);
      const processing = record(sold.sale.id, { status: 'processing' });
      await store.applyPull(page([processing]));
      expect((await store.listLinkSales(EVENT))[0]?.records).toEqual([processing]);
      const paid = { ...processing, status: 'paid' as const };
      await store.applyPull(page([paid], '1.2'));
      await store.applyPull(page([paid], '1.2'));
      expect((await store.listLinkSales(EVENT))[0]?.records).toEqual([paid]);
      expect(await store.getSyncState()).toMatchObject({ cursor: '1.2' });
    });

    it('[link] a record for a sale this device does not have (or none) is kept and changes no sale', async () => {
      const { store, reopen } = await makeStore(OPTIONS);
      const sold = linkSale();
      await store.recordSale(sold);
      const before = await store.getSale(sold.sale.id);
      await store.applyPull(page([record(uuidv7()), record(null)]));
      const again = await reopen();
      expect((await again.listLinkSales(EVENT))[0]?.records).toEqual([]);
      expect(await again.getSale(sold.sale.id)).toEqual(before);
    });
  });
}
