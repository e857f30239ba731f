// Settling a payment on the stall's payment link on the server (src/lib/domain/link-settlement.ts;
// SPEC.md "Settling a payment on the link"): what a push batch loads, how it applies
// `link.settle`, and what it writes. The sale a settlement names is loaded and locked like a
// voided sale (batch-load.ts), so two devices settling one sale at once are taken one after
// the other: the first wins, the later one is rejected with its reason and never wedges the
// queue [G7]. Rows are only ever inserted.
import { inArray, or, type SQL } from 'drizzle-orm';
import { linkPartCents } from '$lib/domain/link-payment';
import { settlementVerdict, type LinkSettlement } from '$lib/domain/link-settlement';
import type { Id, Mutation } from '$lib/domain/types';
import type { Tx } from '$lib/server/db';
import { linkSettlements } from '$lib/server/db/schema';
import type { MutationResult } from '$lib/sync/protocol';
import type { BatchState } from './batch-state';
import { insertRows } from './bulk-insert';
import type { ChangeInput } from './change-feed';

type Verdict = Omit<MutationResult, 'seq'>;
type Of<T extends Mutation['type']> = Extract<Mutation, { type: T }>;

export interface SettlementState {
  /** The settlement kept for each sale the batch names (on the server or new). */
  bySale: Map<Id, Pick<LinkSettlement, 'id' | 'outcome'>>;
  /** Settlement ids already used: their sale. */
  ids: Map<Id, Id>;
  fresh: LinkSettlement[];
}

export function emptySettlementState(): SettlementState {
  return { bySale: new Map(), ids: new Map(), fresh: [] };
}

/** The sale ids the batch's settlements name (loaded and locked with the voided sales). */
export function settledSaleIds(mutations: readonly Mutation[]): Id[] {
  return mutations.flatMap((m) => (m.type === 'link.settle' ? [m.settlement.saleId] : []));
}

export async function loadSettlements(
  tx: Tx,
  state: BatchState,
  mutations: readonly Mutation[],
): Promise<void> {
  const saleIds = new Set<Id>();
  const ids = new Set<Id>();
  for (const m of mutations) {
    if (m.type !== 'link.settle') continue;
    saleIds.add(m.settlement.saleId);
    ids.add(m.settlement.id);
  }
  if (saleIds.size === 0) return;
  const rows = await tx
    .select({
      id: linkSettlements.id,
      saleId: linkSettlements.saleId,
      outcome: linkSettlements.outcome,
    })
    .from(linkSettlements)
    .where(
      or(
        inArray(linkSettlements.saleId, [...saleIds].sort()),
        inArray(linkSettlements.id, [...ids].sort()),
      ),
    );
  for (const row of rows) {
    state.settlements.bySale.set(row.saleId, { id: row.id, outcome: row.outcome });
    state.settlements.ids.set(row.id, row.saleId);
  }
}

/**
 * A settlement of a completed or voided sale of this account's maker that was paid (in part)
 * on the link. Another maker's sale is answered exactly like an unknown one. Whether Stripe has
 * confirmed the payment meanwhile does not matter: the device decided without knowing, and the
 * rule reads both (a payment after a write-off is confirmed and flagged; after "received
 * another way" it is flagged "paid twice").
 */
export function applySettle(state: BatchState, m: Of<'link.settle'>): Verdict {
  const { settlement } = m;
  const sale = state.sales.get(settlement.saleId);
  if (!sale || !state.resolver.owns(sale.row.makerId)) {
    return { status: 'rejected', reason: `unknown sale ${settlement.saleId}` };
  }
  const usedFor = state.settlements.ids.get(settlement.id);
  const verdict = settlementVerdict(
    settlement,
    state.settlements.bySale.get(settlement.saleId) ?? null,
    usedFor !== undefined && usedFor !== settlement.saleId,
  );
  if (verdict.status !== 'applied') return verdict;
  if (settlement.eventId !== sale.row.eventId) {
    return { status: 'rejected', reason: 'the settlement is for another event' };
  }
  if (linkPartCents(sale.row.payments) === 0) {
    return { status: 'rejected', reason: 'the sale was not paid on the payment link' };
  }
  const stored: LinkSettlement = { ...settlement, makerId: sale.row.makerId };
  state.settlements.bySale.set(stored.saleId, { id: stored.id, outcome: stored.outcome });
  state.settlements.ids.set(stored.id, stored.saleId);
  state.settlements.fresh.push(stored);
  return { status: 'applied' };
}

const KEYS = [
  'id',
  'saleId',
  'makerId',
  'eventId',
  'outcome',
  'method',
  'note',
  'at',
  'deviceId',
  'hlc',
] as const;

/**
 * The batch's new settlements in one insert. A row that conflicts (another push settled the
 * sale since this batch read it) makes the batch retry with fresh state.
 */
export function settlementInserts(state: BatchState): { query: SQL; rows: number }[] {
  const fresh = state.settlements.fresh;
  if (fresh.length === 0) return [];
  return [
    {
      query: insertRows(linkSettlements, KEYS, fresh, 'on conflict do nothing returning id'),
      rows: fresh.length,
    },
  ];
}

/** Each new settlement goes to the maker's devices (pull feature 'link-settlements'). */
export function settlementChanges(state: BatchState): ChangeInput[] {
  return state.settlements.fresh.map((settlement) => ({
    change: { entity: 'link_settlement', op: 'upsert', data: settlement },
    makerId: settlement.makerId,
    organisationId: null,
  }));
}
