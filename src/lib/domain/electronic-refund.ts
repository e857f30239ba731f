/**
 * Refunds of electronic payments (docs/payments.md "Refunds"). A refund record (refund.ts) says
 * what goods and money go back; this says how much of that money goes back through the payment
 * provider and how much in cash, and where the provider's refund stands.
 *
 * The rule, card first: of a refund, as much as was paid electronically and not yet given
 * back electronically goes back electronically; only the rest is handed back in cash. Earlier
 * refunds of the sale take their electronic part first, in the order they were made (HLC,
 * then id), and so do refunds made in the provider's dashboard (`outsideCents`). Card first
 * because the cash book must never go negative (a refund taken from the drawer could make it
 * so, and a stall's drawer may be empty by evening), and because the customer gets the money
 * back where it came from; every device and the server compute the same split from the same
 * records, offline, with nothing to ask.
 */
import type { Cents, Id, Refund, Sale } from './types';

/** Where the provider's refund of a refund's electronic part stands. */
export const ELECTRONIC_REFUND_STATES = ['pending', 'refunded', 'failed'] as const;
export type ElectronicRefundState = (typeof ELECTRONIC_REFUND_STATES)[number];

/** What every device of the maker learns about one electronic refund (pull 'refund-status'). */
export interface ElectronicRefundStatus {
  /** The refund record's id; for a refund made in the dashboard, a server-made id. */
  refundId: Id;
  saleId: Id;
  state: ElectronicRefundState;
  /** The amount given back electronically. */
  amountCents: Cents;
  /** Why it failed, in the provider's words (null unless failed). */
  reason: string | null;
  /** 'device': asked for from a till; 'dashboard': made in the provider's dashboard. */
  origin: 'device' | 'dashboard';
  /** For a dashboard refund: the refund record made of it, or null (money only). */
  recordId: Id | null;
}

const RANK: Record<ElectronicRefundState, number> = { pending: 0, refunded: 1, failed: 2 };

/**
 * States only move forward: pending → refunded → failed (a provider can report a refund
 * failed after it first succeeded, e.g. the bank returned it), so events may arrive in any
 * order and a late one never undoes a newer state.
 */
export function advanceRefundState(
  current: ElectronicRefundState,
  next: ElectronicRefundState,
): ElectronicRefundState {
  return RANK[next] > RANK[current] ? next : current;
}

/**
 * What a device keeps of a refund's status when it hears of it again: the pulled status,
 * unless the one it holds is further along (feed order need not be the order things
 * happened in; a status only moves forward).
 */
export function mergeRefundStatus(
  held: ElectronicRefundStatus | undefined,
  pulled: ElectronicRefundStatus,
): ElectronicRefundStatus {
  if (!held) return pulled;
  return advanceRefundState(held.state, pulled.state) === pulled.state ? pulled : held;
}

/**
 * What a refund record says was handed back in cash, the only amount the cash book takes out
 * of the drawer: its `cashCents` when it carries one (kept within 0..totalCents); a record
 * without it (an older app's, or all of it one way) reads as it always did: all of it when its
 * method is cash, none otherwise.
 */
export function refundCashCents(
  refund: Pick<Refund, 'method' | 'totalCents' | 'cashCents'>,
): Cents {
  if (refund.cashCents !== undefined) {
    return Math.max(0, Math.min(refund.totalCents, refund.cashCents));
  }
  return refund.method === 'cash' ? refund.totalCents : 0;
}

/** The refund's two parts as its record says: cash (refundCashCents) and phone/card. */
export function recordedRefundParts(
  refund: Pick<Refund, 'method' | 'totalCents' | 'cashCents'>,
): RefundParts {
  const cashCents = refundCashCents(refund);
  return { cashCents, electronicCents: refund.totalCents - cashCents };
}

/**
 * How a refund row names what went back, as a sale row names how it was paid: 'cash', 'qr',
 * or 'cash+qr' when part went back in cash and part by phone/card.
 */
export function refundPaymentMethods(
  refund: Pick<Refund, 'method' | 'totalCents' | 'cashCents'>,
): string {
  const { cashCents, electronicCents } = recordedRefundParts(refund);
  if (cashCents > 0 && electronicCents > 0) return 'cash+qr';
  if (cashCents > 0) return 'cash';
  if (electronicCents > 0 && refund.method === 'cash') return 'qr';
  return refund.method;
}

/** What the sale took electronically (every payment that is not cash). */
export function electronicPaidCents(sale: Pick<Sale, 'payments'>): Cents {
  return sale.payments.reduce((sum, p) => (p.method === 'cash' ? sum : sum + p.amountCents), 0);
}

export interface RefundParts {
  electronicCents: Cents;
  cashCents: Cents;
}

function inOrder(a: Pick<Refund, 'hlc' | 'id'>, b: Pick<Refund, 'hlc' | 'id'>): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * How each refund of a sale is given back, card first (above). `outsideCents`: money the
 * provider already gave back for this sale outside any refund record (a dashboard refund
 * that matches no lines). Returns a map refund id → parts, for every refund given.
 */
export function refundPartsOf(
  sale: Pick<Sale, 'payments'>,
  refunds: readonly Pick<Refund, 'id' | 'hlc' | 'totalCents'>[],
  outsideCents: Cents = 0,
): Map<Id, RefundParts> {
  let left = Math.max(0, electronicPaidCents(sale) - Math.max(0, outsideCents));
  const out = new Map<Id, RefundParts>();
  for (const refund of [...refunds].sort(inOrder)) {
    const electronicCents = Math.max(0, Math.min(refund.totalCents, left));
    left -= electronicCents;
    out.set(refund.id, { electronicCents, cashCents: refund.totalCents - electronicCents });
  }
  return out;
}

/**
 * How each refund of a sale was given back: the parts its record carries when it carries them
 * (`cashCents`, fixed when the refund was made, by the rule above), otherwise by the rule
 * (refundPartsOf) as before the records carried them. The server's refund at the provider, the
 * sale's screen and the cash book all read this, so they never disagree.
 */
export function givenRefundParts(
  sale: Pick<Sale, 'payments'>,
  refunds: readonly Pick<Refund, 'id' | 'hlc' | 'totalCents' | 'method' | 'cashCents'>[],
  outsideCents: Cents = 0,
): Map<Id, RefundParts> {
  const byRule = refundPartsOf(sale, refunds, outsideCents);
  const out = new Map<Id, RefundParts>();
  for (const refund of refunds) {
    const part =
      refund.cashCents !== undefined ? recordedRefundParts(refund) : byRule.get(refund.id);
    if (part) out.set(refund.id, part);
  }
  return out;
}
