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
