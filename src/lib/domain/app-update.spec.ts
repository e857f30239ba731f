import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextUpdateStep, type UpdateConditions } from './app-update';

const idle: UpdateConditions = {
  requested: true,
  reloadWanted: false,
  saleInProgress: false,
  pendingCount: 0,
};

describe('nextUpdateStep (docs/sync-faults.md fault 17)', () => {
  it('[fault 17] activates a requested update when no sale is in progress and the outbox is empty', () => {
    expect(nextUpdateStep(idle)).toBe('activate');
  });

  it('[fault 17] waits while the outbox is not empty, and says so', () => {
    expect(nextUpdateStep({ ...idle, pendingCount: 1 })).toBe('wait-for-outbox');
    expect(nextUpdateStep({ ...idle, pendingCount: 250 })).toBe('wait-for-outbox');
  });

  it('does not wait for an outbox that cannot drain (no account or signed out), but still waits offline', () => {
    expect(nextUpdateStep({ ...idle, pendingCount: 4, canSync: false })).toBe('activate');
    expect(nextUpdateStep({ ...idle, pendingCount: 4, canSync: true })).toBe('wait-for-outbox');
    expect(nextUpdateStep({ ...idle, pendingCount: 4, canSync: false, saleInProgress: true })).toBe(
      'wait-for-sale',
    );
  });

  it('never activates or reloads under a sale, even with an empty outbox', () => {
    expect(nextUpdateStep({ ...idle, saleInProgress: true })).toBe('wait-for-sale');
    expect(
      nextUpdateStep({ ...idle, requested: false, reloadWanted: true, saleInProgress: true }),
    ).toBe('wait-for-sale');
  });

  it('does nothing when nothing was asked for', () => {
    expect(nextUpdateStep({ ...idle, requested: false })).toBe('none');
    expect(
      nextUpdateStep({ ...idle, requested: false, pendingCount: 3, saleInProgress: true }),
    ).toBe('none');
  });

  it('reloads onto a version another tab activated once the till is idle (its outbox survives in IndexedDB)', () => {
    expect(nextUpdateStep({ ...idle, requested: false, reloadWanted: true, pendingCount: 4 })).toBe(
      'reload',
    );
  });

  it('[fault 17] for any conditions: activation happens exactly when asked, idle, outbox empty and no other tab switched', () => {
    fc.assert(
      fc.property(
        fc.record({
          requested: fc.boolean(),
          reloadWanted: fc.boolean(),
          saleInProgress: fc.boolean(),
          pendingCount: fc.nat({ max: 10_000 }),
        }),
        (conditions) => {
          const step = nextUpdateStep(conditions);
          const mayActivate =
            conditions.requested &&
            !conditions.reloadWanted &&
            !conditions.saleInProgress &&
            conditions.pendingCount === 0;
          expect(step === 'activate').toBe(mayActivate);
          if (conditions.saleInProgress) expect(['wait-for-sale', 'none']).toContain(step);
          if (step === 'wait-for-outbox') expect(conditions.pendingCount).toBeGreaterThan(0);
        },
      ),
      { seed: 20261128, numRuns: 500 },
    );
  });
});
