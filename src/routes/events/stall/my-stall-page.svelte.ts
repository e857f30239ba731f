import { storeErrorCode } from '$lib/components/store-error';
import type { StoreErrorCode } from '$lib/db/device-store';
import type { Id } from '$lib/domain/types';
import { loadMyStall, type MyStall } from '$lib/services/my-stall';
import { app } from '$lib/state/app.svelte';

/** The maker's stall at one event, from the device (works offline once synced). */
export class MyStallPageState {
  readonly eventId: Id;
  loaded = $state(false);
  data = $state.raw<MyStall | null>(null);
  failure = $state<StoreErrorCode | null>(null);

  constructor(eventId: Id) {
    this.eventId = eventId;
  }

  async load(): Promise<void> {
    try {
      const store = await app.start();
      this.data = await loadMyStall(store, this.eventId);
      this.failure = null;
    } catch (error) {
      this.failure = storeErrorCode(error);
    } finally {
      this.loaded = true;
    }
  }
}
