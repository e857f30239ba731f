import type { Locale } from '$lib/domain/types';
import { m } from '$lib/paraglide/messages';
import { todayIsoDate } from '$lib/services/current-event';
import type { SyncFailureReason } from '$lib/sync/status';
import { formatDate, formatTime } from './format';

/** Why the last sync failed, in the maker's words: what happened and what to do. */
export function syncFailureMessage(reason: SyncFailureReason): string {
  switch (reason) {
    case 'offline':
      return m.account_sync_failure_offline();
    case 'signed-out':
      return m.account_sync_failure_signed_out();
    case 'forbidden':
      return m.account_sync_failure_forbidden();
    case 'server-unavailable':
      return m.account_sync_failure_server_unavailable();
    case 'rejected-request':
      return m.account_sync_failure_rejected_request();
    case 'gap-detected':
      return m.account_sync_failure_gap_detected();
    case 'storage':
      return m.account_sync_failure_storage();
    case 'unknown':
      return m.account_sync_failure_unknown();
  }
}

/**
 * "Laatst gesynchroniseerd 14:32"; a day other than today gets its date too, so an old time
 * is never mistaken for a recent one.
 */
export function lastSyncMessage(lastSyncAt: number | null, locale: Locale, now = Date.now()) {
  if (lastSyncAt === null) return m.account_sync_never();
  const time = formatTime(lastSyncAt, locale);
  const day = todayIsoDate(new Date(lastSyncAt));
  const when = day === todayIsoDate(new Date(now)) ? time : `${formatDate(day, locale)} ${time}`;
  return m.account_sync_last({ time: when });
}
