import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LinkPaymentRecord } from './link-payment';
import {
  canSettle,
  linkStanding,
  linkStandingOf,
  normaliseNote,
  settlementProblem,
  settlementToKeep,
  settlementVerdict,
  type LinkSettlement,
  type LinkStanding,
} from './link-settlement';

const settlement = (overrides: Partial<LinkSettlement> = {}): LinkSettlement => ({
  id: 's1',
  saleId: 'sale1',
  eventId: 'e1',
  makerId: 'm1',
  outcome: 'written_off',
  method: null,
  note: null,
  at: 1_000,
  deviceId: 'd1',
  hlc: '000000001000:0000:d1',
  ...overrides,
});
const received = (method: 'cash' | 'other' = 'cash') =>
  settlement({ outcome: 'received_other_way', method });

describe('settling a link payment', () => {
  it('[settle] without a settlement the link part reads as Stripe says', () => {
    expect(linkStanding('awaiting', null)).toEqual({ state: 'awaiting', flag: null, method: null });
    expect(linkStanding('confirmed', null).state).toBe('confirmed');
    expect(linkStanding('amount_mismatch', undefined).state).toBe('amount_mismatch');
  });

  it('[settle] received another way counts under its method; Stripe paying too flags it "paid twice"', () => {
    expect(linkStanding('awaiting', received('cash'))).toEqual({
      state: 'received_other_way',
      flag: null,
      method: 'cash',
    });
    expect(linkStanding('awaiting', received('other')).method).toBe('other');
    expect(linkStanding('confirmed', received('cash'))).toEqual({
      state: 'received_other_way',
      flag: 'paid_twice',
      method: 'cash',
    });
    expect(linkStanding('amount_mismatch', received('other')).flag).toBe('paid_twice');
  });

  it('[settle] written off is its own state; Stripe paying exactly afterwards confirms it, flagged "paid after write-off"', () => {
    expect(linkStanding('awaiting', settlement())).toEqual({
      state: 'written_off',
      flag: null,
      method: null,
    });
    expect(linkStanding('confirmed', settlement())).toEqual({
      state: 'confirmed',
      flag: 'paid_after_write_off',
      method: null,
    });
    expect(linkStanding('amount_mismatch', settlement())).toEqual({
      state: 'written_off',
      flag: 'paid_after_write_off',
      method: null,
    });
  });

  it('[settle] only an unsettled, unconfirmed part may be settled', () => {
    expect(canSettle('awaiting', false)).toBe(true);
    expect(canSettle('amount_mismatch', false)).toBe(true);
    expect(canSettle('confirmed', false)).toBe(false);
    expect(canSettle('awaiting', true)).toBe(false);
  });

  it('[settle] a settlement’s fields: method only when received, a note of 1..200 safe characters or none', () => {
    expect(settlementProblem(received())).toBeNull();
    expect(settlementProblem(settlement())).toBeNull();
    expect(settlementProblem(settlement({ outcome: 'received_other_way', method: null }))).toBe(
      'method-required',
    );
    expect(settlementProblem(settlement({ method: 'cash' }))).toBe('method-not-allowed');
    expect(
      settlementProblem(settlement({ outcome: 'refunded' as LinkSettlement['outcome'] })),
    ).toBe('outcome');
    expect(settlementProblem(settlement({ note: 'x'.repeat(200) }))).toBeNull();
    expect(settlementProblem(settlement({ note: '🙂'.repeat(200) }))).toBeNull();
    expect(settlementProblem(settlement({ note: 'x'.repeat(201) }))).toBe('note-too-long');
    expect(settlementProblem(settlement({ note: '' }))).toBe('note-empty');
    expect(settlementProblem(settlement({ note: ' a' }))).toBe('note-empty');
    expect(settlementProblem(settlement({ note: 'a\u0000b' }))).toBe('note-unsafe');
    expect(settlementProblem(settlement({ note: 'a\ud800' }))).toBe('note-unsafe');
    expect(normaliseNote('  paid by Tikkie  ')).toBe('paid by Tikkie');
    expect(normaliseNote('   ')).toBeNull();
  });

  it('[settle] first wins on the server: the same settlement again is a duplicate, a second one is rejected with the reason', () => {
    const first = settlement();
    expect(settlementVerdict(first, null, false)).toEqual({ status: 'applied' });
    expect(settlementVerdict(first, first, false).status).toBe('duplicate');
    const second = received();
    const later = settlementVerdict({ ...second, id: 's2' }, first, false);
    expect(later).toMatchObject({ status: 'rejected' });
    expect(later.status === 'rejected' && later.reason).toMatch(/already settled \(written off\)/);
    expect(settlementVerdict({ ...second, id: 's2' }, null, true).status).toBe('rejected');
  });

  it('[settle] a device keeps the server’s settlement over its own, and its own only when none is there', () => {
    const mine = received();
    const theirs = settlement({ id: 's2', deviceId: 'd2' });
    expect(settlementToKeep(null, mine, 'device')).toBe(mine);
    expect(settlementToKeep(theirs, mine, 'device')).toBeNull();
    expect(settlementToKeep(mine, theirs, 'server')).toBe(theirs);
  });

  // The server and two devices of the maker, the webhook's records and the settlements
  // arriving in any order: after a last push and pull everyone reads the same, and it is what
  // the rule says of all the records and the settlement the server kept.
  it('[settle] every order of webhooks, settlements, pushes and pulls ends in the same state on the server and both devices (property)', () => {
    type Step =
      { kind: 'webhook'; record: number } | { kind: 'settle' | 'push' | 'pull'; device: 0 | 1 };
    const part = 1050;
    const recordArb = fc.record({
      status: fc.constantFrom('paid', 'processing', 'failed') as fc.Arbitrary<
        LinkPaymentRecord['status']
      >,
      paidCents: fc.constantFrom(1050, 1000, 50),
      currency: fc.constantFrom('eur', 'eur', 'usd'),
    });
    const settleArb = fc.option(
      fc.constantFrom<Pick<LinkSettlement, 'outcome' | 'method'>>(
        { outcome: 'written_off', method: null },
        { outcome: 'received_other_way', method: 'cash' },
        { outcome: 'received_other_way', method: 'other' },
      ),
      { nil: null },
    );
    fc.assert(
      fc.property(
        fc.array(recordArb, { maxLength: 3 }),
        fc.tuple(settleArb, settleArb),
        fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
        (records, settles, order) => {
          const steps: Step[] = [
            ...records.map((_, i) => ({ kind: 'webhook' as const, record: i })),
            ...([0, 1] as const).flatMap((device) => [
              { kind: 'settle' as const, device },
              { kind: 'push' as const, device },
              { kind: 'pull' as const, device },
            ]),
          ];
          // A deterministic shuffle from the drawn numbers.
          const shuffled = steps
            .map((step, i) => ({ step, key: order[i % order.length] ?? 0, i }))
            .sort((a, b) => a.key - b.key || a.i - b.i)
            .map(({ step }) => step);

          const server = { records: [] as typeof records, kept: null as LinkSettlement | null };
          const devices = [0, 1].map(() => ({
            records: [] as typeof records,
            kept: null as LinkSettlement | null,
            outbox: [] as LinkSettlement[],
          }));
          const push = (d: (typeof devices)[number]) => {
            for (const s of d.outbox) {
              const verdict = settlementVerdict(s, server.kept, false);
              if (verdict.status === 'applied') server.kept = s;
            }
            d.outbox = [];
          };
          const pull = (d: (typeof devices)[number]) => {
            d.records = [...server.records];
            if (server.kept) d.kept = settlementToKeep(d.kept, server.kept, 'server');
          };
          for (const step of shuffled) {
            if (step.kind === 'webhook') {
              const r = records[step.record];
              if (r) server.records.push(r);
              continue;
            }
            const d = devices[step.device];
            const wanted = settles[step.device];
            if (!d) continue;
            if (step.kind === 'settle' && wanted) {
              const s = settlement({
                ...wanted,
                id: `s${step.device}`,
                deviceId: `d${step.device}`,
              });
              const keep = settlementToKeep(d.kept, s, 'device');
              if (keep) {
                d.kept = keep;
                d.outbox.push(keep);
              }
            } else if (step.kind === 'push') push(d);
            else if (step.kind === 'pull') pull(d);
          }
          for (const d of devices) push(d);
          for (const d of devices) pull(d);

          const onServer: LinkStanding = linkStandingOf(part, server.records, server.kept);
          for (const d of devices) {
            expect(linkStandingOf(part, d.records, d.kept)).toEqual(onServer);
          }
          // Whatever arrived first, the end is the rule applied to everything there is.
          expect(onServer).toEqual(linkStandingOf(part, records, server.kept));
          // Someone settled: the server kept exactly one of them.
          if (settles[0] || settles[1]) expect(server.kept).not.toBeNull();
          else expect(server.kept).toBeNull();
        },
      ),
      { seed: 8024, numRuns: 500 },
    );
  });
});
