import { m } from '$lib/paraglide/messages';
import type { SyncFailureReason } from '$lib/sync/status';
import type { IconName } from './Icon.svelte';

/**
 * The header's status, as one pure function of the device's state: the icon, its colour,
 * the words beside it and the button's name always come from the same case, so the icon
 * can never say "problem" while the words say "all sent".
 *
 * - No account: the sales are saved on this phone, and that is fine (calm, a phone icon);
 *   the details suggest signing in for a backup. Nothing counts up in orange.
 * - With an account: the number of SALES not sent yet (not internal changes), online or
 *   offline; a problem (signed out, refused, server errors, changes too large) in orange.
 */
export interface SyncStatusState {
  /** The device knows an account (signed in when last asked, kept across offline starts). */
  hasAccount: boolean;
  online: boolean;
  /** Why the last sync round failed; null after one that succeeded (or before the first). */
  failure: SyncFailureReason | null;
  /** Sales recorded on this device the server has not acknowledged. */
  pendingSales: number;
  /**
   * Other changes waiting (a refund or void of a sale, a product edit): not counted as sales,
   * but while they wait the status never says "all sent".
   */
  pendingOther?: number;
  /** Changes kept back as too large for any push (SPEC.md, "Too large"). */
  unsendable: number;
  /**
   * Changes the server stored as rejected since the app started [G7]: they left the outbox
   * but never reached the server's books (e.g. a helper's sales after the maker stopped
   * sharing the stall with them), so they are not "sent".
   */
  rejected: number;
}

export type SyncStatusKind = 'device-only' | 'sent' | 'sending' | 'offline' | 'problem';
export type SyncStatusTone = 'calm' | 'ok' | 'warning';

export interface SyncStatusView {
  kind: SyncStatusKind;
  icon: IconName;
  tone: SyncStatusTone;
  /** The words in the header (a polite live region). */
  text: string;
  /** The accessible name of the button that opens the details. */
  label: string;
}

const ICONS: Record<SyncStatusKind, IconName> = {
  'device-only': 'phone',
  sent: 'cloud',
  sending: 'upload',
  offline: 'cloud-off',
  problem: 'alert',
};

const TONES: Record<SyncStatusKind, SyncStatusTone> = {
  'device-only': 'calm',
  sent: 'ok',
  sending: 'calm',
  offline: 'calm',
  problem: 'warning',
};

export function syncStatusKind(state: SyncStatusState): SyncStatusKind {
  if (!state.hasAccount) return 'device-only';
  if (!state.online || state.failure === 'offline') return 'offline';
  if (state.failure !== null || state.unsendable > 0 || state.rejected > 0) return 'problem';
  return state.pendingSales > 0 || (state.pendingOther ?? 0) > 0 ? 'sending' : 'sent';
}

/**
 * How many sales wait, in words with the language's plural form; "all sales sent" only when
 * nothing was kept back as too large either.
 */
function salesWords(state: SyncStatusState): string {
  if (state.pendingSales > 0) return m.shell_pending_sales({ count: state.pendingSales });
  return state.unsendable > 0 || state.rejected > 0 || (state.pendingOther ?? 0) > 0
    ? m.shell_not_all_sent()
    : m.shell_all_sales_sent();
}

export function syncStatusView(state: SyncStatusState): SyncStatusView {
  const kind = syncStatusKind(state);
  const sales = salesWords(state);
  const text: Record<SyncStatusKind, () => string> = {
    'device-only': () => m.shell_saved_on_phone(),
    sent: () => `${m.shell_online()} · ${sales}`,
    sending: () => `${m.shell_online()} · ${sales}`,
    offline: () => `${m.shell_offline()} · ${sales}`,
    problem: () =>
      `${state.failure === 'signed-out' ? m.shell_signed_out() : m.shell_problem()} · ${sales}`,
  };
  const label: Record<SyncStatusKind, () => string> = {
    'device-only': () => m.account_sync_device_only(),
    sent: () => m.account_sync_toggle(),
    sending: () => m.account_sync_toggle(),
    offline: () => m.account_sync_offline(),
    problem: () => m.account_sync_problem(),
  };
  return { kind, icon: ICONS[kind], tone: TONES[kind], text: text[kind](), label: label[kind]() };
}
