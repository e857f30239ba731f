import { useRegisterSW } from 'virtual:pwa-register/svelte';

/**
 * A new version of the app (registerType 'prompt'): the new service worker waits until the
 * maker agrees, and even then it is activated only when no sale is in progress, so an update
 * can never reload the page under a customer's sale. In `vite dev` the virtual module is a
 * no-op, so nothing registers there.
 */
class UpdateState {
  /** A new service worker is installed and waiting. */
  waiting = $state(false);
  /** The maker asked to update; it happens as soon as the till is idle. */
  requested = $state(false);
  /** Another tab activated the new version: this page reloads when idle. */
  reloadWanted = $state(false);

  #activate: ((reloadPage?: boolean) => Promise<void>) | null = null;

  /** Registers the service worker once. */
  start(): void {
    if (this.#activate) return;
    const { updateServiceWorker } = useRegisterSW({
      onNeedRefresh: () => (this.waiting = true),
      // The default reloads at once; we wait until the till is idle.
      onNeedReload: () => (this.reloadWanted = true),
    });
    this.#activate = updateServiceWorker;
  }

  request(): void {
    this.requested = true;
  }

  /** Applies a requested update or pending reload, but only when no sale is in progress. */
  settle(saleInProgress: boolean): void {
    if (saleInProgress) return;
    if (this.requested && this.#activate) {
      this.requested = false;
      void this.#activate(true);
    } else if (this.reloadWanted) {
      this.reloadWanted = false;
      window.location.reload();
    }
  }
}

export const update = new UpdateState();
