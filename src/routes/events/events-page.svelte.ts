import { storeErrorCode } from '$lib/components/store-error';
import type { StoreErrorCode } from '$lib/db/device-store';
import type { MarketEvent } from '$lib/domain/types';
import { m } from '$lib/paraglide/messages';
import {
  createEvent,
  selectEvent,
  todayIsoDate,
  type EventFormErrors,
  type EventFormInput,
} from '$lib/services/events';
import { app } from '$lib/state/app.svelte';
import { sync } from '$lib/state/sync.svelte';

function emptyForm(): EventFormInput {
  return { name: '', date: todayIsoDate(), place: '', opensAt: '', closesAt: '' };
}

/**
 * The events screen: the device's events, the one being sold at, and the create form.
 * After every change the app state is refreshed, so the header and the till follow at once.
 */
export class EventsPageState {
  events = $state.raw<MarketEvent[]>([]);
  loaded = $state(false);
  values = $state<EventFormInput>(emptyForm());
  errors = $state<EventFormErrors>({});
  formOpen = $state(false);
  busy = $state(false);
  failure = $state<StoreErrorCode | null>(null);
  notice = $state('');

  currentId = $derived(app.currentEvent?.id ?? null);

  async load(): Promise<void> {
    try {
      const store = await app.start();
      await app.refresh();
      this.events = await store.listEvents();
      // With no event yet, the form is the only useful thing on the screen.
      if (this.events.length === 0) this.formOpen = true;
    } catch (error) {
      this.failure = storeErrorCode(error);
    } finally {
      this.loaded = true;
    }
  }

  async create(): Promise<boolean> {
    return this.#run(async () => {
      const store = await app.start();
      const result = await createEvent(store, this.values, { nextHlc: () => app.nextHlc() });
      if (!result.ok) {
        this.errors = result.errors;
        return false;
      }
      // The event is committed: send it shortly.
      sync.notifyChange();
      this.errors = {};
      this.values = emptyForm();
      this.formOpen = false;
      this.notice = result.selected
        ? m.catalog_events_selected({ name: result.event.name })
        : m.catalog_events_created({ name: result.event.name });
      this.events = await store.listEvents();
      await app.refresh();
      return true;
    });
  }

  /** After a pull brought changes: the events from the server (or another device) appear. */
  async reload(): Promise<void> {
    const store = app.store;
    if (!store) return;
    try {
      this.events = await store.listEvents();
    } catch (error) {
      this.failure = storeErrorCode(error);
    }
  }

  clearErrors(fields: (keyof EventFormErrors)[]): void {
    const next = { ...this.errors };
    for (const field of fields) delete next[field];
    this.errors = next;
  }

  async select(event: MarketEvent): Promise<boolean> {
    return this.#run(async () => {
      const store = await app.start();
      await selectEvent(store, event.id);
      await app.refresh();
      this.notice = m.catalog_events_selected({ name: event.name });
      return true;
    });
  }

  async #run(action: () => Promise<boolean>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.failure = null;
    this.notice = '';
    try {
      return await action();
    } catch (error) {
      this.failure = storeErrorCode(error);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
