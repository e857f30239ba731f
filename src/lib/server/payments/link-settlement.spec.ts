// The 24-hour path of the stall's payment link (docs/payments.md step 7; SPEC.md "Settling a
// payment on the link") on PGlite and (with TEST_DATABASE_URL) PostgreSQL, against the local
// fake Stripe: a payment never confirmed is settled by the maker (written off, or received
// another way); Stripe's webhook after the settlement, and before it; a second settlement of
// the same sale; another maker's sale; an unknown sale; hostile fields. Every order ends the
// same as the rule in src/lib/domain/link-settlement.ts says.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { LINK_SETTLE_AFTER_MS } from '$lib/domain/link-payment';
import { uuidv7 } from '$lib/domain/ids';
import { testDbKinds } from '$lib/server/db/testing';
import { linkSettlements } from '$lib/server/db/schema';
import { RawDevice, type SaleRecord } from '$lib/sync/testing/factories';
import { LINK_SETTLEMENTS_FEATURE } from '$lib/sync/protocol';
import type { Mutation } from '$lib/domain/types';
import { push } from '../sync/testing';
import { paymentSplits } from '../organiser/figures';
import { linkPaymentStandings } from './link-webhook';
import { usePaymentsServer, type LinkSale } from './testing';

describe.each(testDbKinds())('settling a payment on the link (24-hour path) on %s', (kind) => {
  const h = usePaymentsServer(kind);

  const standing = async (m: { device: RawDevice }, saleId: string) =>
    (await linkPaymentStandings(h.t.db, m.device.makerId, [saleId])).get(saleId);
  const settledRows = async (saleId: string) =>
    h.t.db.select().from(linkSettlements).where(eq(linkSettlements.saleId, saleId));
  /** The maker settles, a day after the sale, from the phone that sold it (or `device`). */
  const settle = async (
    m: LinkSale,
    overrides: Parameters<RawDevice['settlementOf']>[1] = {},
    device: RawDevice = m.device,
  ) => {
    const mutation = device.settlementOf(m.record, {
      at: m.record.sale.createdAt + LINK_SETTLE_AFTER_MS,
      ...overrides,
    });
    const answer = await push(h.t.db, m.userId, device.request(device.queue(mutation)));
    return { mutation, result: answer.results[0] };
  };
  const pay = (m: LinkSale, amount = 1050) =>
    h.fake.deliver(h.fake.payLink(m.link.linkId, { clientReferenceId: m.saleId, amount }));

  it('(fault: never, the 24-hour path) a payment never confirmed: the maker writes it off a day later; the server keeps it, awaiting no more', async () => {
    const m = await h.linkSale();
    await h.syncSale(m);
    expect(await standing(m, m.saleId)).toEqual({ state: 'awaiting', flag: null, method: null });
    const { mutation, result } = await settle(m, { note: 'Klant is weggelopen' });
    expect(result).toMatchObject({ status: 'applied' });
    expect(await standing(m, m.saleId)).toEqual({
      state: 'written_off',
      flag: null,
      method: null,
    });
    const rows = await settledRows(m.saleId);
    expect(rows.map((r) => [r.id, r.outcome, r.method, r.note, r.makerId])).toEqual([
      [mutation.settlement.id, 'written_off', null, 'Klant is weggelopen', m.device.makerId],
    ]);
  });

  it('(fault: never) received in cash after all: the part counts as cash on the server too', async () => {
    const m = await h.linkSale();
    await h.syncSale(m);
    const { result } = await settle(m, { outcome: 'received_other_way', method: 'cash' });
    expect(result?.status).toBe('applied');
    expect(await standing(m, m.saleId)).toEqual({
      state: 'received_other_way',
      flag: null,
      method: 'cash',
    });
  });

  it('[settle] the webhook after a write-off confirms the sale, flagged "paid after write-off"; after "received in cash", flagged "paid twice" (nothing refunded by itself)', async () => {
    const off = await h.linkSale();
    await h.syncSale(off);
    await settle(off);
    expect(await pay(off)).toBe(200);
    expect(await standing(off, off.saleId)).toEqual({
      state: 'confirmed',
      flag: 'paid_after_write_off',
      method: null,
    });
    const cash = await h.linkSale();
    await h.syncSale(cash);
    await settle(cash, { outcome: 'received_other_way', method: 'cash' });
    const refundsBefore = h.fake.requests.filter((r) => r.path.startsWith('/v1/refunds')).length;
    expect(await pay(cash)).toBe(200);
    expect(await standing(cash, cash.saleId)).toEqual({
      state: 'received_other_way',
      flag: 'paid_twice',
      method: 'cash',
    });
    expect(h.fake.requests.filter((r) => r.path.startsWith('/v1/refunds'))).toHaveLength(
      refundsBefore,
    );
  });

  it('[settle] the webhook before the settlement (the device did not know): the settlement is kept and both orders end the same', async () => {
    const first = await h.linkSale();
    await h.syncSale(first);
    expect(await pay(first)).toBe(200);
    expect((await settle(first)).result?.status).toBe('applied');
    const second = await h.linkSale();
    await h.syncSale(second);
    await settle(second);
    expect(await pay(second)).toBe(200);
    expect(await standing(first, first.saleId)).toEqual(await standing(second, second.saleId));
    expect(await standing(first, first.saleId)).toMatchObject({
      state: 'confirmed',
      flag: 'paid_after_write_off',
    });
  });

  it('[settle] a second settlement of the same sale (another phone of the maker): rejected with the reason, the first counts, the queue goes on', async () => {
    const m = await h.linkSale();
    await h.syncSale(m);
    const { mutation: first } = await settle(m);
    const phone = new RawDevice({ makerId: m.device.makerId });
    const later = phone.settlementOf(m.record, { outcome: 'received_other_way', method: 'cash' });
    const next = phone.stock(m.event.id, m.product.id, 5, 'restock');
    const answer = await push(h.t.db, m.userId, phone.request(phone.queue(later, next)));
    expect(answer.results.map((r) => r.status)).toEqual(['rejected', 'applied']);
    expect(answer.results[0]?.reason).toMatch(/already settled \(written off\)/);
    expect((await settledRows(m.saleId)).map((r) => r.id)).toEqual([first.settlement.id]);
    // The same settlement again is a duplicate, not a second row.
    const again = await push(h.t.db, m.userId, m.device.request(m.device.queue(first as Mutation)));
    expect(again.results.map((r) => r.status)).toEqual(['duplicate']);
    expect(await standing(m, m.saleId)).toMatchObject({ state: 'written_off' });
  });

  it('[settle] another maker’s sale is answered exactly like an unknown sale: rejected, nothing stored', async () => {
    const a = await h.linkSale();
    await h.syncSale(a);
    const b = await h.linkSale();
    const theirs = b.device.settlementOf(a.record);
    const answer = await push(h.t.db, b.userId, b.device.request(b.device.queue(theirs)));
    expect(answer.results[0]).toMatchObject({
      status: 'rejected',
      reason: `unknown sale ${a.saleId}`,
    });
    const unknown: SaleRecord = { ...b.record, sale: { ...b.record.sale, id: uuidv7() } };
    const none = await push(
      h.t.db,
      b.userId,
      b.device.request(b.device.queue(b.device.settlementOf(unknown))),
    );
    expect(none.results[0]).toMatchObject({
      status: 'rejected',
      reason: `unknown sale ${unknown.sale.id}`,
    });
    expect(await settledRows(a.saleId)).toEqual([]);
    expect(await standing(a, a.saleId)).toMatchObject({ state: 'awaiting' });
  });

  it('[G7] hostile settlements are rejected with the field named and never wedge the queue: NUL, broken UTF-16, 201 characters, a method on a write-off, none on "received", another device, a cash sale', async () => {
    const m = await h.linkSale();
    await h.syncSale(m);
    const cashSale = m.device.sale(m.event.id, [{ product: m.product, quantity: 1 }]);
    const other = new RawDevice({ makerId: m.device.makerId });
    const hostile: Mutation[] = [
      m.device.settlementOf(m.record, { note: 'a\u0000b' }),
      m.device.settlementOf(m.record, { note: 'a\ud800b' }),
      m.device.settlementOf(m.record, { note: 'x'.repeat(201) }),
      m.device.settlementOf(m.record, { method: 'cash' }),
      m.device.settlementOf(m.record, { outcome: 'received_other_way', method: null }),
      m.device.settlementOf(m.record, { deviceId: other.deviceId }),
      m.device.settlementOf(m.record, { at: 2 ** 53 }),
      cashSale,
      m.device.settlementOf(cashSale),
    ];
    const answer = await push(h.t.db, m.userId, m.device.request(m.device.queue(...hostile)));
    const statuses = answer.results.map((r) => r.status);
    expect(statuses).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'applied',
      'rejected',
    ]);
    expect(answer.results[2]?.reason).toMatch(/note/);
    expect(answer.results[3]?.reason).toMatch(/method/);
    expect(answer.results[5]?.reason).toMatch(/another device/);
    expect(answer.results[8]?.reason).toMatch(/not paid on the payment link/);
    expect(await settledRows(m.saleId)).toEqual([]);
    // Still settles normally afterwards.
    expect((await settle(m)).result?.status).toBe('applied');
  });

  it('[pull] the maker’s other phones that read link-settlements learn the settlement; an older app’s pull never meets it; another maker never', async () => {
    const m = await h.linkSale();
    await h.syncSale(m);
    const { mutation } = await settle(m, { outcome: 'received_other_way', method: 'other' });
    const phone = new RawDevice({ makerId: m.device.makerId });
    const now = await h.pullEvery(m.userId, phone.deviceId, [LINK_SETTLEMENTS_FEATURE]);
    const settled = now.changes.filter((c) => c.entity === 'link_settlement');
    expect(settled.map((c) => c.data)).toEqual([mutation.settlement]);
    const older = await h.pullEvery(m.userId, phone.deviceId);
    expect(older.changes.some((c) => c.entity === 'link_settlement')).toBe(false);
    const other = await h.readyMaker();
    const theirs = await h.pullEvery(other.userId, other.device.deviceId, [
      LINK_SETTLEMENTS_FEATURE,
    ]);
    expect(theirs.changes.some((c) => c.entity === 'link_settlement')).toBe(false);
  });

  it('[settle] a summary made on the server splits like the device: written off and received in cash leave awaiting (paymentSplits)', async () => {
    const m = await h.linkSale();
    await h.syncSale(m);
    const second = m.device.sale(m.event.id, [{ product: m.product, quantity: 1 }]);
    const cash: SaleRecord = {
      ...second,
      sale: {
        ...second.sale,
        payments: [
          { method: 'qr', amountCents: 350, tenderedCents: null, changeCents: null, via: 'link' },
        ],
      },
    };
    await push(h.t.db, m.userId, m.device.request(m.device.queue(cash)));
    const split = async () =>
      (await paymentSplits(h.t.db, [m.event.id])).get(m.event.id)?.get(m.device.makerId);
    const before = await split();
    expect(before?.phoneOrCard).toEqual({ count: 0, cents: 0 });
    expect(before?.awaiting).toEqual({ count: 2, cents: 1400 });
    await settle(m);
    const viaCash = m.device.settlementOf(cash, {
      outcome: 'received_other_way',
      method: 'cash',
    });
    await push(h.t.db, m.userId, m.device.request(m.device.queue(viaCash)));
    const after = await split();
    expect(after).toMatchObject({
      awaiting: { count: 0, cents: 0 },
      writtenOff: { count: 1, cents: 1050 },
      cash: { count: 1, cents: 350 },
      phoneOrCard: { count: 0, cents: 0 },
    });
  });
});
