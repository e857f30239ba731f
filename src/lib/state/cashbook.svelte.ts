import { StoreError, type CashBook, type DeviceStore } from '$lib/db/device-store';
import { CashBookError, type CashDayReport } from '$lib/domain/cashbook';
import { uuidv7 } from '$lib/domain/ids';
import type { Id } from '$lib/domain/types';
import { closeCashDay } from '$lib/services/cashbook-close';
import { recordCashMovement } from '$lib/services/cashbook-movement';
import { openCashDay, type CashBookContext } from '$lib/services/cashbook-open';
import { app } from './app.svelte';
import { sync } from './sync.svelte';

/** Why a cash book action did not happen: the domain's code, or the store's. */
export type CashBookFailure =
  { from: 'book'; code: CashBookError['code'] } | { from: 'store'; code: StoreError['code'] };

function failureOf(error: unknown): CashBookFailure {
  if (error instanceof CashBookError) return { from: 'book', code: error.code };
  if (error instanceof StoreError) {
    return error.cause instanceof CashBookError
      ? { from: 'book', code: error.cause.code }
      : { from: 'store', code: error.code };
  }
  return { from: 'store', code: 'unknown' };
}

/** The cash book screen of the current event (src/routes/sales/cashbook). */
class CashBookState {
  eventId = $state<Id | null>(null);
  book = $state.raw<CashBook | null>(null);
  /** Day reports of the maker's other devices at this event (pulled). */
  others = $state.raw<CashDayReport[]>([]);
  busy = $state(false);
  failure = $state.raw<CashBookFailure | null>(null);

  #context(store: DeviceStore): CashBookContext {
    return { store, newId: () => uuidv7(), hlc: () => app.nextHlc(), now: Date.now };
  }

  async load(store: DeviceStore, eventId: Id): Promise<void> {
    const [book, reports, deviceId] = await Promise.all([
      store.getCashBook(eventId),
      store.listCashReports(eventId),
      store.deviceId(),
    ]);
    this.eventId = eventId;
    this.book = book;
    this.others = reports.filter((r) => r.deviceId !== deviceId);
  }

  async #run(store: DeviceStore, action: () => Promise<unknown>): Promise<boolean> {
    if (this.busy || !this.eventId) return false;
    this.busy = true;
    try {
      await action();
      this.failure = null;
      // After the commit, never inside it: the book goes to the server shortly.
      sync.notifyChange();
      void app.refreshPending().catch(() => undefined);
      await this.load(store, this.eventId);
      return true;
    } catch (error) {
      this.failure = failureOf(error);
      return false;
    } finally {
      this.busy = false;
    }
  }

  open(store: DeviceStore, makerId: Id, floatCents: number): Promise<boolean> {
    const eventId = this.eventId;
    return this.#run(store, () =>
      openCashDay(this.#context(store), eventId ?? '', makerId, floatCents),
    );
  }

  record(
    store: DeviceStore,
    input: { kind: string; description: string; amountCents: number },
  ): Promise<boolean> {
    const eventId = this.eventId;
    return this.#run(store, () => recordCashMovement(this.#context(store), eventId ?? '', input));
  }

  close(
    store: DeviceStore,
    count: { countedCents?: number; pieces?: Record<string, number> | null },
  ): Promise<boolean> {
    const eventId = this.eventId;
    return this.#run(store, () => closeCashDay(this.#context(store), eventId ?? '', count));
  }
}

export const cashBookState = new CashBookState();
