// Resuming a payment by phone or card after the till was closed or reloaded (docs/payments.md
// "Resuming a payment"). While the waiting dialog is open, the saved cart carries the
// payment's sale id (SavedCart.pendingSaleId, written before the server is asked), so a
// reloaded till can ask the server what became of it. One rule, here, so the till and its
// tests agree.
import { checkoutFinal, checkoutSettled, type CheckoutAnswer } from './contract';
import type { PaymentsResult } from './client';

export type ResumeAction =
  /** Paid meanwhile: record the sale now, under the payment's sale id (once: the id is the key). */
  | 'record'
  /** Still open or processing: show the waiting dialog again and keep watching. */
  | 'watch'
  /** Expired, failed or paid another amount: show that outcome; the cart stays for cash. */
  | 'show-outcome'
  /** The server has no payment for this id (a cash sale under way, or never made): forget it. */
  | 'forget'
  /** No answer (offline, signed out, server trouble): keep the id and ask on the next reload. */
  | 'keep';

/** What a reloaded till does with its saved cart's pending sale id, given the server's answer. */
export function resumeAction(
  saleStored: boolean,
  answer: PaymentsResult<CheckoutAnswer>,
): ResumeAction | null {
  // The sale is on the device already: the till shows it as completed, nothing to resume.
  if (saleStored) return null;
  if (!answer.ok) return answer.failure === 'not_found' ? 'forget' : 'keep';
  if (checkoutSettled(answer.value)) return 'record';
  if (checkoutFinal(answer.value)) return 'show-outcome';
  return 'watch';
}
