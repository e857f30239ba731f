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
import type { LinkSettlement } from '$lib/domain/types';
import type { SettleRequest } from './link-payment-store';
import {
  BASE_TIME,
  EVENT,
  OPTIONS,
  OTHER_EVENT,
  expectGapless,
  expectStoreError,
  newSale,
  nextHlc,
  voidRequest,
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

function settleRequest(saleId: string, overrides: Partial<SettleRequest> = {}): SettleRequest {
  return {
    id: uuidv7(),
    saleId,
    outcome: 'written_off',
    method: null,
    note: null,
    at: BASE_TIME + 25 * 3_600_000,
    hlc: nextHlc(),
    ...overrides,
  };
}

const settlementPage = (settlements: LinkSettlement[], cursor = '2.1') => ({
  changes: settlements.map((data) => ({
    entity: 'link_settlement' as const,
    op: 'upsert' as const,
    data,
  })),
  cursor,
  epoch: 'e1',
});

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

    it('[settle] a settlement and its link.settle outbox entry are stored in one transaction, listed with the sale, kept after a reopen; a failed write leaves neither', async () => {
      const h = await makeStore(OPTIONS);
      const sold = linkSale();
      await h.store.recordSale(sold);
      const request = settleRequest(sold.sale.id, {
        outcome: 'received_other_way',
        method: 'cash',
        note: 'Contant gekregen',
      });
      const outboxBefore = await h.store.readOutbox(100);
      h.failNextWrite(new Error('the disk fell over'));
      await expectStoreError(h.store.settleLinkPayment(request), 'unknown');
      expect(await h.store.readOutbox(100)).toEqual(outboxBefore);
      expect((await h.store.listLinkSales(EVENT))[0]?.settlement).toBeNull();

      const settled = await h.store.settleLinkPayment(request);
      expect(settled).toMatchObject({
        id: request.id,
        saleId: sold.sale.id,
        eventId: EVENT,
        makerId: sold.sale.makerId,
        outcome: 'received_other_way',
        method: 'cash',
        note: 'Contant gekregen',
      });
      const outbox = await h.store.readOutbox(100);
      expectGapless(outbox);
      expect(outbox.at(-1)?.mutation).toEqual({ type: 'link.settle', settlement: settled });
      const again = await h.reopen();
      expect((await again.listLinkSales(EVENT))[0]?.settlement).toEqual(settled);
    });

    it('[settle] refused, changing nothing: a second settlement, a cash sale, a voided sale, a payment Stripe confirmed, bad fields', async () => {
      const { store } = await makeStore(OPTIONS);
      const sold = linkSale();
      await store.recordSale(sold);
      await store.settleLinkPayment(settleRequest(sold.sale.id));
      const cash = newSale([{ productId: 'p2' }]);
      await store.recordSale(cash);
      const voided = linkSale();
      await store.recordSale(voided);
      await store.voidSale(voidRequest(voided.sale.id));
      const confirmed = linkSale();
      await store.recordSale(confirmed);
      await store.applyPull(page([record(confirmed.sale.id)]));
      const fresh = linkSale();
      await store.recordSale(fresh);
      const before = await store.readOutbox(100);
      for (const request of [
        settleRequest(sold.sale.id, { outcome: 'received_other_way', method: 'cash' }),
        settleRequest(cash.sale.id),
        settleRequest(voided.sale.id),
        settleRequest(confirmed.sale.id),
        settleRequest(uuidv7()),
        settleRequest(fresh.sale.id, { outcome: 'received_other_way', method: null }),
        settleRequest(fresh.sale.id, { note: 'a\u0000b' }),
        settleRequest(fresh.sale.id, { note: 'x'.repeat(201) }),
      ]) {
        await expectStoreError(store.settleLinkPayment(request), 'invalid');
      }
      expect(await store.readOutbox(100)).toEqual(before);
      const listed = await store.listLinkSales(EVENT);
      expect(listed.find((l) => l.sale.id === sold.sale.id)?.settlement?.outcome).toBe(
        'written_off',
      );
      expect(listed.filter((l) => l.settlement !== null)).toHaveLength(1);
    });

    it('[settle] a pulled settlement (the server kept another phone’s) replaces this device’s own; the same page twice changes nothing', async () => {
      const { store } = await makeStore(OPTIONS);
      const sold = linkSale();
      await store.recordSale(sold);
      const mine = await store.settleLinkPayment(
        settleRequest(sold.sale.id, { outcome: 'received_other_way', method: 'other' }),
      );
      const theirs: LinkSettlement = {
        ...mine,
        id: uuidv7(),
        outcome: 'written_off',
        method: null,
        deviceId: uuidv7(),
        hlc: nextHlc(),
      };
      await store.applyPull(settlementPage([theirs]));
      await store.applyPull(settlementPage([theirs]));
      const listed = await store.listLinkSales(EVENT);
      expect(listed.map((l) => l.settlement)).toEqual([theirs]);
      expect(await store.getSyncState()).toMatchObject({ cursor: '2.1' });
    });
  });
}
