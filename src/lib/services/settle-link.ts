import type { LinkPaymentStore } from '$lib/db/device-store';
import {
  MAX_SETTLEMENT_NOTE_LENGTH,
  normaliseNote,
  type LinkSettlement,
} from '$lib/domain/link-settlement';
import { isSafeText } from '$lib/domain/text';
import type { Id } from '$lib/domain/types';

export interface SettleContext {
  store: LinkPaymentStore;
  newId: () => Id;
  hlc: () => string;
  now: () => number;
}

/** What the maker chose for a payment on the link Stripe never confirmed. */
export type SettleChoice = 'cash' | 'other' | 'written_off';

export class SettleNoteError extends Error {
  constructor(readonly code: 'note-too-long' | 'note-unsafe') {
    super(code);
  }
}

/**
 * The maker settles a sale's payment on the stall's payment link that Stripe never confirmed
 * (src/lib/domain/link-settlement.ts): received in cash or another way after all, or written
 * off. The store writes the settlement and its `link.settle` outbox entry in one transaction.
 * Rejects with SettleNoteError for a note too long or with broken text (nothing is written),
 * or with the store's StoreError (already settled, confirmed meanwhile, not a link sale).
 */
export async function settleLinkPayment(
  context: SettleContext,
  saleId: Id,
  choice: SettleChoice,
  typedNote: string,
): Promise<LinkSettlement> {
  const note = normaliseNote(typedNote);
  if (note !== null && !isSafeText(note)) throw new SettleNoteError('note-unsafe');
  if (note !== null && [...note].length > MAX_SETTLEMENT_NOTE_LENGTH) {
    throw new SettleNoteError('note-too-long');
  }
  return context.store.settleLinkPayment({
    id: context.newId(),
    saleId,
    outcome: choice === 'written_off' ? 'written_off' : 'received_other_way',
    method: choice === 'written_off' ? null : choice,
    note,
    at: context.now(),
    hlc: context.hlc(),
  });
}
