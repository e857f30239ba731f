import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SYNC_FAILURE_TEXT, type SyncFailureReason } from '$lib/sync/status';
import { syncStatusView, type SyncStatusState } from './sync-status-view';

const reasons = Object.keys(SYNC_FAILURE_TEXT) as SyncFailureReason[];

const base: SyncStatusState = {
  hasAccount: true,
  online: true,
  failure: null,
  pendingSales: 0,
  unsendable: 0,
  rejected: 0,
};

describe('syncStatusView: icon and words from one state (Dutch, the base locale)', () => {
  it('a first visit without an account: saved on this phone, calm, no problem and no count', () => {
    // The engine's first round answers "signed out" on a device without an account.
    for (const failure of [null, 'signed-out', 'offline'] as const) {
      const view = syncStatusView({ ...base, hasAccount: false, failure, pendingSales: 13 });
      expect(view).toEqual({
        kind: 'device-only',
        icon: 'phone',
        tone: 'calm',
        text: 'Opgeslagen op deze telefoon',
        label: 'Synchronisatie: opgeslagen op deze telefoon',
      });
    }
  });

  it('with an account it counts sales, with the plural form', () => {
    expect(syncStatusView(base)).toMatchObject({
      kind: 'sent',
      icon: 'cloud',
      tone: 'ok',
      text: 'Online · alle verkopen verstuurd',
      label: 'Synchronisatie',
    });
    expect(syncStatusView({ ...base, pendingSales: 1 }).text).toBe(
      'Online · 1 verkoop niet verstuurd',
    );
    expect(syncStatusView({ ...base, pendingSales: 13 })).toMatchObject({
      kind: 'sending',
      tone: 'calm',
      text: 'Online · 13 verkopen niet verstuurd',
    });
  });

  it('offline is calm and says so; the sales still count', () => {
    expect(syncStatusView({ ...base, online: false, pendingSales: 2 })).toMatchObject({
      kind: 'offline',
      icon: 'cloud-off',
      tone: 'calm',
      text: 'Offline · 2 verkopen niet verstuurd',
      label: 'Synchronisatie: offline',
    });
  });

  it('a problem shows in the icon, the words and the name together', () => {
    expect(syncStatusView({ ...base, failure: 'signed-out', pendingSales: 3 })).toMatchObject({
      kind: 'problem',
      icon: 'alert',
      tone: 'warning',
      text: 'Niet ingelogd · 3 verkopen niet verstuurd',
      label: 'Synchronisatie: er is een probleem',
    });
    // A change kept back as too large is not "all sent".
    expect(syncStatusView({ ...base, unsendable: 1 }).text).toBe('Probleem · niet alles verstuurd');
  });

  it('changes the server refused (a helper whose maker stopped sharing) are a problem, never "all sent"', () => {
    // The refused sales left the outbox (the server logged them), so none is pending.
    expect(syncStatusView({ ...base, rejected: 2 })).toMatchObject({
      kind: 'problem',
      icon: 'alert',
      tone: 'warning',
      text: 'Probleem · niet alles verstuurd',
    });
  });

  it('a refund or void still waiting is not "all sent", though it is not a sale to count', () => {
    expect(syncStatusView({ ...base, online: false, pendingOther: 1 })).toMatchObject({
      kind: 'offline',
      text: 'Offline · niet alles verstuurd',
    });
    expect(syncStatusView({ ...base, pendingOther: 1 })).toMatchObject({
      kind: 'sending',
      text: 'Online · niet alles verstuurd',
    });
  });

  it('icon and words always agree, for every state', () => {
    const states = fc.record({
      hasAccount: fc.boolean(),
      online: fc.boolean(),
      failure: fc.constantFrom(null, ...reasons),
      pendingSales: fc.nat(10_000),
      pendingOther: fc.nat(3),
      unsendable: fc.nat(3),
      rejected: fc.nat(3),
    });
    fc.assert(
      fc.property(states, (state) => {
        const view = syncStatusView(state);
        const problemIcon = view.icon === 'alert';
        const problemWords = /^(Probleem|Niet ingelogd) · /.test(view.text);
        const problemName = view.label === 'Synchronisatie: er is een probleem';
        expect(problemIcon).toBe(problemWords);
        expect(problemIcon).toBe(problemName);
        expect(problemIcon).toBe(view.tone === 'warning');
        expect(view.icon === 'cloud-off').toBe(view.text.startsWith('Offline'));
        expect(view.icon === 'phone').toBe(!state.hasAccount);
        // Never a count of unsent sales without an account; always one with it.
        expect(/niet verstuurd/.test(view.text)).toBe(state.hasAccount && state.pendingSales > 0);
        // "All sent" only when no sale waits and nothing is wrong.
        if (view.text.endsWith('alle verkopen verstuurd')) {
          expect(state.pendingSales + state.pendingOther + state.unsendable + state.rejected).toBe(
            0,
          );
        }
      }),
      { seed: 20261206, numRuns: 500 },
    );
  });
});
