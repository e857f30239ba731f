import { m } from '$lib/paraglide/messages';
import type { Failure, Role } from './account-client';

/** A failure in plain words, in the user's language. */
export function failureMessage(failure: Failure, retryMinutes?: number): string {
  switch (failure) {
    case 'offline':
      return m.account_error_offline();
    case 'signed_out':
      return m.account_error_signed_out();
    case 'credentials':
      return m.account_error_credentials();
    case 'rate_limited':
      return m.account_error_rate_limited();
    case 'account_paused':
      return m.account_error_account_paused({ minuteCount: retryMinutes ?? 15 });
    case 'invitation_required':
      return m.account_error_invitation_required();
    case 'invitation_used':
      return m.account_error_invitation_used();
    case 'invitation_expired':
      return m.account_error_invitation_expired();
    case 'invitation_revoked':
      return m.account_error_invitation_revoked();
    case 'invitation_locked':
      return m.account_error_invitation_locked();
    case 'invitation_not_found':
      return m.account_error_invitation_not_found();
    case 'already_member':
      return m.account_error_already_member();
    case 'email_taken':
      return m.account_error_email_taken();
    case 'password_short':
      return m.account_error_password_short();
    case 'password_common':
      return m.account_error_password_common();
    case 'invalid_input':
      return m.account_error_invalid_input();
    case 'forbidden':
      return m.account_error_forbidden();
    case 'unknown':
      return m.account_error_unknown();
  }
}

export function roleName(role: Role): string {
  switch (role) {
    case 'organiser':
      return m.account_role_organiser();
    case 'maker':
      return m.account_role_maker();
    case 'helper':
      return m.account_role_helper();
  }
}
