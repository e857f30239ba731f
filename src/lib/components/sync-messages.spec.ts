import { describe, expect, it } from 'vitest';
import { SYNC_FAILURE_TEXT, type SyncFailureReason } from '$lib/sync/status';
import { lastSyncMessage, syncFailureMessage } from './sync-messages';

const reasons = Object.keys(SYNC_FAILURE_TEXT) as SyncFailureReason[];

describe('sync status words (Dutch, the base locale)', () => {
  it('shows the time of a sync today, and the date too for an older one', () => {
    const at = new Date(2026, 10, 28, 14, 32).getTime();
    expect(lastSyncMessage(at, 'nl', new Date(2026, 10, 28, 18, 0).getTime())).toBe(
      'Laatst gesynchroniseerd 14:32',
    );
    const older = lastSyncMessage(at, 'nl', new Date(2026, 10, 29, 9, 0).getTime());
    expect(older).toMatch(/^Laatst gesynchroniseerd .*28 nov.* 14:32$/);
    expect(lastSyncMessage(null, 'nl')).toBe('Nog niet gesynchroniseerd');
  });

  it('gives every failure reason its own plain words', () => {
    const texts = reasons.map(syncFailureMessage);
    expect(new Set(texts).size).toBe(reasons.length);
    for (const text of texts) expect(text.length).toBeGreaterThan(20);
    expect(syncFailureMessage('signed-out')).toMatch(/^Niet ingelogd/);
  });
});
