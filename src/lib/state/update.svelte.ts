import { nextUpdateStep, type UpdateStep } from '$lib/domain/app-update';

/** What the state needs of vite-plugin-pwa's `useRegisterSW` (injected in tests). */
export type RegisterServiceWorker = (options: {
  onNeedRefresh: () => void;
  onNeedReload: () => void;
}) => { updateServiceWorker: (reloadPage?: boolean) => Promise<void> };

/** vite-plugin-pwa's registration; loaded when used, so unit tests never need the virtual module. */
async function registerWithPwa(): Promise<RegisterServiceWorker> {
  const { useRegisterSW } = await import('virtual:pwa-register/svelte');
  return useRegisterSW;
}

/**
 * A new version of the app (registerType 'prompt'): the new service worker waits until the
 * maker agrees, and even then it is activated only when no sale is in progress and every
 * change on the device has been sent (nextUpdateStep, docs/sync-faults.md fault 17), so an update can
 * never reload the page under a customer's sale nor take over unsent data. In `vite dev`
 * the virtual module is a no-op, so nothing registers there.
 */
export class UpdateState {
  /** A new service worker is installed and waiting. */
  waiting = $state(false);
  /** The maker asked to update; it happens as soon as the rule allows. */
  requested = $state(false);
  /** Another tab activated the new version: this page reloads when idle. */
  reloadWanted = $state(false);
  /** Why a requested update has not happened yet (the prompt's words follow it). */
  step = $state<UpdateStep>('none');

  #activate: ((reloadPage?: boolean) => Promise<void>) | null = null;
  #starting = false;
  readonly #reloadPage: () => void;

  constructor(reloadPage: () => void = () => window.location.reload()) {
    this.#reloadPage = reloadPage;
  }

  /** Registers the service worker once. */
  async start(register?: RegisterServiceWorker): Promise<void> {
    if (this.#activate || this.#starting) return;
    this.#starting = true;
    try {
      const useRegisterSW = register ?? (await registerWithPwa());
      const { updateServiceWorker } = useRegisterSW({
        onNeedRefresh: () => (this.waiting = true),
        // The default reloads at once; we wait until the till is idle.
        onNeedReload: () => (this.reloadWanted = true),
      });
      this.#activate = updateServiceWorker;
    } finally {
      this.#starting = false;
    }
  }

  request(): void {
    this.requested = true;
  }

  /**
   * Applies a requested update or a pending reload when the rule allows; call it whenever a
   * condition changes (the prompt does, from an effect). Returns what it decided.
   */
  settle(conditions: {
    saleInProgress: boolean;
    pendingCount: number;
    canSync?: boolean;
  }): UpdateStep {
    const step = nextUpdateStep({
      requested: this.requested && this.#activate !== null,
      reloadWanted: this.reloadWanted,
      ...conditions,
    });
    this.step = step;
    if (step === 'activate' && this.#activate) {
      this.requested = false;
      void this.#activate(true);
    } else if (step === 'reload') {
      this.reloadWanted = false;
      this.#reloadPage();
    }
    return step;
  }
}

export const update = new UpdateState();
