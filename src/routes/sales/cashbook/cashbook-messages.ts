import type { CashMovementKind } from '$lib/domain/cashbook';
import { storeErrorMessage } from '$lib/components/store-error';
import { m } from '$lib/paraglide/messages';
import type { CashBookFailure } from '$lib/state/cashbook.svelte';

export function kindLabel(kind: CashMovementKind): string {
  switch (kind) {
    case 'expense':
      return m.cashbook_kind_expense();
    case 'bank-deposit':
      return m.cashbook_kind_bank_deposit();
    case 'bank-withdrawal':
      return m.cashbook_kind_bank_withdrawal();
    case 'private-withdrawal':
      return m.cashbook_kind_private_withdrawal();
    case 'private-deposit':
      return m.cashbook_kind_private_deposit();
  }
}

/** A failed cash book action in the maker's words. */
export function failureMessage(failure: CashBookFailure): string {
  if (failure.from === 'store') return storeErrorMessage(failure.code);
  switch (failure.code) {
    case 'bad-amount':
    case 'negative':
    case 'too-many-movements':
      return m.cashbook_error_amount();
    case 'bad-float':
      return m.cashbook_error_float();
    case 'description-required':
    case 'description-too-long':
    case 'unsafe-text':
    case 'bad-kind':
      return m.cashbook_error_description();
    case 'bad-pieces':
    case 'bad-count':
    case 'count-mismatch':
      return m.cashbook_error_pieces();
    case 'closed':
    case 'already-open':
      return m.cashbook_error_closed();
    case 'not-open':
      return storeErrorMessage('not-found');
  }
}
