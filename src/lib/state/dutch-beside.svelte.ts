import { localeState } from './locale.svelte';

/**
 * "Dutch beside": an optional setting (Settings) that shows the Dutch words small under the
 * maker's own language on the till, the sales screen and the main buttons, so a maker
 * learns the words a customer uses (the field report: practising Dutch at the bazaar
 * mattered to makers). It shows only when the app's language is not Dutch.
 *
 * A choice of this device's screen, like the language, not of the stall: kept in
 * localStorage, never synced.
 */
const STORAGE_KEY = 'kraam.dutch-beside';

class DutchBesideState {
  enabled = $state(false);

  /** Whether the Dutch words show now: chosen, and the app is in another language. */
  get shown(): boolean {
    return this.enabled && localeState.current !== 'nl';
  }

  /** Reads the saved choice. Call once at start, in the browser. */
  init(): void {
    try {
      this.enabled = localStorage.getItem(STORAGE_KEY) === 'on';
    } catch {
      // Storage blocked (private mode): the setting starts off and lasts this visit only.
    }
  }

  set(on: boolean): void {
    this.enabled = on;
    try {
      if (on) localStorage.setItem(STORAGE_KEY, 'on');
      else localStorage.removeItem(STORAGE_KEY);
    } catch {
      // As above: the choice holds until the page is closed.
    }
  }
}

export const dutchBeside = new DutchBesideState();
