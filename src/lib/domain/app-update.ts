/**
 * When a new version of the app may take over (docs/sync-faults.md fault 17). A waiting service worker
 * is activated only when the maker asked for it, no sale is in progress (an update reloads
 * the page) and the outbox is empty (every change made under the old version has reached
 * the server before the new version's code and schema take over the device's data).
 */

export interface UpdateConditions {
  /** The maker asked to update to the waiting version. */
  requested: boolean;
  /** Another tab already activated the new version: this page should reload to use it. */
  reloadWanted: boolean;
  /** A cart, the payment step or a save is under way. */
  saleInProgress: boolean;
  /** Changes on this device the server has not acknowledged yet. */
  pendingCount: number;
  /**
   * Whether the outbox can drain at all: false while the device has no account, is signed
   * out, or belongs to another account. Waiting for an outbox that cannot empty would keep a
   * maker without an account on the old version for ever; their outbox lives in IndexedDB,
   * which an update keeps (Dexie upgrades never touch it), so the update goes ahead.
   * Offline or a failing server is a passing state: those still wait.
   */
  canSync?: boolean;
}

/**
 * activate: activate the waiting service worker now (it reloads the page);
 * reload: reload onto the version another tab activated;
 * wait-for-sale / wait-for-outbox: asked for, but not yet (the prompt says why);
 * none: nothing asked for.
 */
export type UpdateStep = 'activate' | 'reload' | 'wait-for-sale' | 'wait-for-outbox' | 'none';

export function nextUpdateStep(conditions: UpdateConditions): UpdateStep {
  const asked = conditions.requested || conditions.reloadWanted;
  if (!asked) return 'none';
  // Never under a customer's sale, whatever else holds.
  if (conditions.saleInProgress) return 'wait-for-sale';
  // Another tab made the switch (under this same rule); this page only catches up. Its
  // outbox is in IndexedDB and survives the reload.
  if (conditions.reloadWanted) return 'reload';
  const outboxCanDrain = conditions.canSync ?? true;
  return conditions.pendingCount > 0 && outboxCanDrain ? 'wait-for-outbox' : 'activate';
}
