/**
 * Settling a payment on the stall's payment link that Stripe never confirmed (issue 8, "Still
 * unconfirmed after 24 hours"; docs/payments.md step 7).
 *
 * THE rule. A sale's link part reads as one of five states, from two things only: Stripe's
 * word (`linkOutcome`, src/lib/domain/link-payment.ts) and the maker's settlement, if any:
 *
 * | Stripe says     | no settlement   | received another way        | written off               |
 * | --------------- | --------------- | --------------------------- | ------------------------- |
 * | nothing paid    | awaiting        | received_other_way          | written_off               |
 * | paid exactly    | confirmed       | received_other_way + "paid twice" | confirmed + "paid after write-off" |
 * | paid otherwise  | amount_mismatch | received_other_way + "paid twice" | written_off + "paid after write-off" |
 *
 * - Received another way: the money came in cash or another way; the part counts under that
 *   method, never as phone/card. If Stripe's payment arrives too, the customer paid twice: the
 *   sale is flagged so the maker can give one back (never refunded by itself).
 * - Written off: the money never came; the part is its own line, in no takings. If Stripe's
 *   exact payment arrives after all, the part is confirmed (phone/card) and flagged so the
 *   maker sees it was paid after the write-off; a payment of another amount stays written off,
 *   flagged, for the maker to check in the Stripe dashboard.
 *
 * A sale has at most one settlement: the first to reach the server wins, a later one is
 * rejected there (`settlementVerdict`), and a device keeps the server's settlement of a sale
 * over its own (`settlementToKeep`). The state is a function of the set of Stripe's records
 * and the one kept settlement, never of the order they arrived in, so the server and every
 * device end in the same state whichever came first.
 */
import { linkOutcome, type LinkOutcome, type LinkPaymentRecord } from './link-payment';
import { isSafeText } from './text';
import type { Id, LinkSettlement } from './types';

export type { LinkSettlement };

export type LinkState =
  'awaiting' | 'confirmed' | 'amount_mismatch' | 'received_other_way' | 'written_off';

export type LinkFlag = 'paid_after_write_off' | 'paid_twice';

export interface LinkStanding {
  state: LinkState;
  /** Something the maker should look at (never acted on by itself); null when all is well. */
  flag: LinkFlag | null;
  /** How the money came when received another way; null otherwise. */
  method: 'cash' | 'other' | null;
}

export const SETTLEMENT_OUTCOMES = ['received_other_way', 'written_off'] as const;
export const SETTLEMENT_METHODS = ['cash', 'other'] as const;
export const MAX_SETTLEMENT_NOTE_LENGTH = 200;

/** Where a link part stands, from Stripe's outcome and the settlement kept for the sale. */
export function linkStanding(
  outcome: LinkOutcome,
  settlement: Pick<LinkSettlement, 'outcome' | 'method'> | null | undefined,
): LinkStanding {
  if (!settlement) return { state: outcome, flag: null, method: null };
  if (settlement.outcome === 'received_other_way') {
    return {
      state: 'received_other_way',
      flag: outcome === 'awaiting' ? null : 'paid_twice',
      method: settlement.method ?? 'other',
    };
  }
  if (outcome === 'awaiting') return { state: 'written_off', flag: null, method: null };
  return {
    state: outcome === 'confirmed' ? 'confirmed' : 'written_off',
    flag: 'paid_after_write_off',
    method: null,
  };
}

/** The same from Stripe's records themselves (a convenience for both sides). */
export function linkStandingOf(
  partCents: number,
  records: readonly Pick<LinkPaymentRecord, 'status' | 'paidCents' | 'currency'>[],
  settlement: Pick<LinkSettlement, 'outcome' | 'method'> | null | undefined,
): LinkStanding {
  return linkStanding(linkOutcome(partCents, records), settlement);
}

/** True when the maker may settle the link part: nothing settled yet and not confirmed. */
export function canSettle(outcome: LinkOutcome, settled: boolean): boolean {
  return !settled && outcome !== 'confirmed';
}

export type SettlementProblem =
  | 'outcome'
  | 'method-required'
  | 'method-not-allowed'
  | 'note-too-long'
  | 'note-empty'
  | 'note-unsafe';

/**
 * What is wrong with a settlement's own fields (null: nothing). Received another way needs
 * its method; written off has none. A note is 1..200 characters without surrounding spaces,
 * no NUL or broken UTF-16 (src/lib/domain/text.ts), or null.
 */
export function settlementProblem(
  s: Pick<LinkSettlement, 'outcome' | 'method' | 'note'>,
): SettlementProblem | null {
  if (!(SETTLEMENT_OUTCOMES as readonly string[]).includes(s.outcome)) return 'outcome';
  if (s.outcome === 'received_other_way') {
    if (s.method !== 'cash' && s.method !== 'other') return 'method-required';
  } else if (s.method !== null) return 'method-not-allowed';
  if (s.note !== null) {
    if (!isSafeText(s.note)) return 'note-unsafe';
    if (s.note.trim() === '' || s.note.trim() !== s.note) return 'note-empty';
    if ([...s.note].length > MAX_SETTLEMENT_NOTE_LENGTH) return 'note-too-long';
  }
  return null;
}

/** A typed note as stored: trimmed, empty as null. */
export function normaliseNote(typed: string): string | null {
  const note = typed.trim();
  return note === '' ? null : note;
}

export type SettlementVerdict =
  | { status: 'applied' }
  | { status: 'duplicate'; reason: string }
  | { status: 'rejected'; reason: string };

/**
 * The server's answer to a settlement of a sale it holds, given the settlement it already
 * keeps for that sale (if any) and whether the id is used by another settlement. First wins:
 * a second settlement of the same sale is rejected with the reason, never applied over the
 * first and never wedging the queue; the same settlement again is a duplicate.
 */
export function settlementVerdict(
  incoming: Pick<LinkSettlement, 'id' | 'saleId'>,
  kept: Pick<LinkSettlement, 'id' | 'outcome'> | null,
  idUsedElsewhere: boolean,
): SettlementVerdict {
  if (kept?.id === incoming.id) {
    return { status: 'duplicate', reason: 'the settlement is already on the server' };
  }
  if (idUsedElsewhere) {
    return { status: 'rejected', reason: 'the settlement id is used by another settlement' };
  }
  if (kept) {
    return {
      status: 'rejected',
      reason: `the sale was already settled (${kept.outcome.replaceAll('_', ' ')}) on another device: the first settlement counts`,
    };
  }
  return { status: 'applied' };
}

/**
 * Which settlement a device keeps for a sale: the server's (pulled) always replaces the
 * device's own, since the server kept the first to arrive; a device's own is kept only when
 * nothing is there yet.
 */
export function settlementToKeep(
  current: LinkSettlement | null | undefined,
  incoming: LinkSettlement,
  from: 'server' | 'device',
): LinkSettlement | null {
  if (from === 'server') return incoming;
  return current ? null : incoming;
}

/** The settlement kept for each sale id, from a list (a device's table). */
export function settlementsBySale(settlements: readonly LinkSettlement[]): Map<Id, LinkSettlement> {
  const out = new Map<Id, LinkSettlement>();
  for (const s of settlements) out.set(s.saleId, s);
  return out;
}
