import type { DownloadWatch } from '$lib/load-once';

/**
 * Whether this page needs a reload to get code it loads on first use (a till dialog, the
 * device store, the sync engine).
 *
 * A browser may keep a failed `import()` failed for the rest of the page's life: Safari,
 * Firefox and Chrome before version 156 do (the HTML standard's module map cached failed
 * fetches until 2026). On such a phone, a chunk that could not be fetched while offline (a new
 * phone's first visit, before the service worker had it) fails again at once when the network
 * is back: "Try again" never opens the dialog and the sync never starts. A reload fetches it
 * anew, and loses nothing: sales, the outbox and the cart are on the device
 * (`SalesStore.saveCart`), and the till brings the cart back after a reload.
 *
 * So: when a load that failed before fails again while the server answers, the page is
 * `stuck` and the app offers a reload (src/lib/components/ReloadPrompt.svelte, the till's
 * `LazyDialog`). A later arrival of that load clears it. Offline, or with the server down, a
 * failure says nothing: the app waits for the network as before.
 */
export class Downloads implements DownloadWatch {
  /** The loaders whose repeated failure came while the server answered. */
  #stuck = $state.raw<readonly object[]>([]);
  /** Per loader, its latest failure still being checked (an arrival meanwhile wins). */
  #checking = new WeakMap<object, object>();
  readonly #serverAnswers: () => Promise<boolean>;

  constructor(serverAnswers: () => Promise<boolean>) {
    this.#serverAnswers = serverAnswers;
  }

  get stuck(): boolean {
    return this.#stuck.length > 0;
  }

  failed(loader: object, again: boolean): void {
    if (!again) return;
    const check = {};
    this.#checking.set(loader, check);
    void this.#serverAnswers().then((answers) => {
      if (this.#checking.get(loader) !== check) return;
      this.#checking.delete(loader);
      if (answers && !this.#stuck.includes(loader)) this.#stuck = [...this.#stuck, loader];
    });
  }

  arrived(loader: object): void {
    this.#checking.delete(loader);
    if (this.#stuck.includes(loader)) this.#stuck = this.#stuck.filter((l) => l !== loader);
  }
}

/**
 * Whether this origin's server answers at all (any HTTP status): the network is there. Asked
 * only after a download failed twice; never cached, and never answered by the service worker
 * (it caches no `/api/` request).
 */
export async function serverAnswers(): Promise<boolean> {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return false;
  try {
    await fetch('/api/me', { method: 'HEAD', cache: 'no-store', credentials: 'same-origin' });
    return true;
  } catch {
    return false;
  }
}

export const downloads = new Downloads(serverAnswers);

/** Reloads the page (the cart and every sale are on the device and come back). */
export function reloadPage(): void {
  location.reload();
}
