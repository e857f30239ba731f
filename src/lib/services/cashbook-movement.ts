import {
  isCashMovementKind,
  CashBookError,
  validateDescription,
  validateMovementAmount,
  type CashMovement,
} from '$lib/domain/cashbook';
import type { Id } from '$lib/domain/types';
import type { CashBookContext } from './cashbook-open';

/**
 * Records a cash movement (an expense, a deposit to or withdrawal from the bank, a private
 * withdrawal or deposit) in this device's open book. Rejects with a CashBookError (the field
 * named) for a bad kind, description or amount before anything is written; the store refuses
 * one that would take the book below zero ('invalid', its cause a CashBookError 'negative'),
 * in a closed book, or correcting an unknown report.
 */
export async function recordCashMovement(
  context: CashBookContext,
  eventId: Id,
  input: { kind: string; description: string; amountCents: number; correctsReportId?: Id | null },
): Promise<CashMovement> {
  if (!isCashMovementKind(input.kind)) {
    throw new CashBookError('bad-kind', 'kind', 'Choose what kind of cash movement this is.');
  }
  return context.store.recordCashMovement({
    id: context.newId(),
    eventId,
    kind: input.kind,
    description: validateDescription(input.description),
    amountCents: validateMovementAmount(input.amountCents),
    correctsReportId: input.correctsReportId ?? null,
    createdAt: context.now(),
    hlc: context.hlc(),
  });
}
