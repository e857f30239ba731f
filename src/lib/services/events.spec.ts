import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import { createHlc } from '$lib/domain/clock';
import { isUuidv7 } from '$lib/domain/ids';
import {
  checkEventForm,
  createEvent,
  CURRENT_EVENT_SETTING,
  currentEvent,
  selectEvent,
  todayIsoDate,
  type EventFormInput,
} from './events';

function input(overrides: Partial<EventFormInput> = {}): EventFormInput {
  return {
    name: 'Zomermarkt',
    date: '2026-06-13',
    place: 'Oosterpark',
    opensAt: '',
    closesAt: '',
    ...overrides,
  };
}

let store: MemoryDeviceStore;
let options: { nextHlc: () => string; now: () => number };

beforeEach(() => {
  store = new MemoryDeviceStore();
  const clock = createHlc('device-a', () => 1_750_000_000_000);
  options = { nextHlc: () => clock.now(), now: () => 1_750_000_000_000 };
});

describe('createEvent', () => {
  it('creates a device event and makes it current when there is none yet', async () => {
    const result = await createEvent(
      store,
      input({ opensAt: '10:00', closesAt: '17:00' }),
      options,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(isUuidv7(result.event.id)).toBe(true);
    expect(result.event).toMatchObject({
      name: 'Zomermarkt',
      date: '2026-06-13',
      place: 'Oosterpark',
      opensAt: '10:00',
      closesAt: '17:00',
      origin: 'device',
      status: 'open',
      organisationId: null,
    });
    expect(result.selected).toBe(true);
    expect((await currentEvent(store))?.id).toBe(result.event.id);
    const [entry] = await store.readOutbox(10);
    expect(entry?.mutation.type).toBe('event.upsert');
  });

  it('does not take over the current event when one is already chosen', async () => {
    const first = await createEvent(store, input(), options);
    const second = await createEvent(store, input({ name: 'Wintermarkt' }), options);
    expect(second.ok && second.selected).toBe(false);
    expect((await currentEvent(store))?.id).toBe(first.ok ? first.event.id : 'x');
  });

  it('stores empty opening hours as null', async () => {
    const result = await createEvent(store, input(), options);
    expect(result.ok && [result.event.opensAt, result.event.closesAt]).toEqual([null, null]);
  });

  it.each([
    ['an empty name', { name: ' ' }, { name: 'required' }],
    ['no date', { date: '' }, { date: 'required' }],
    ['an impossible date', { date: '2026-02-30' }, { date: 'invalid-date' }],
    ['a malformed opening time', { opensAt: '25:00' }, { opensAt: 'invalid-time' }],
    [
      'closing before opening',
      { opensAt: '17:00', closesAt: '10:00' },
      { closesAt: 'before-opening' },
    ],
  ] as const)('refuses %s and saves nothing', async (_, bad, errors) => {
    const result = await createEvent(store, input(bad), options);
    expect(result).toEqual({ ok: false, errors });
    expect(await store.listEvents()).toEqual([]);
    expect(await store.getSetting(CURRENT_EVENT_SETTING)).toBeUndefined();
    expect(await store.pendingCount()).toBe(0);
  });
});

describe('checkEventForm', () => {
  it('accepts an opening time alone (closing unknown)', () => {
    expect(checkEventForm(input({ opensAt: '09:30' }))).toEqual({});
  });
});

describe('selectEvent', () => {
  it('switches the event the till sells into', async () => {
    const first = await createEvent(store, input(), options);
    const second = await createEvent(store, input({ name: 'Wintermarkt' }), options);
    if (!first.ok || !second.ok) throw new Error('setup failed');
    const picked = await selectEvent(store, second.event.id);
    expect(picked.id).toBe(second.event.id);
    expect(await store.getSetting(CURRENT_EVENT_SETTING)).toBe(second.event.id);
  });

  it('refuses an event that is not on the device and keeps the current one', async () => {
    const first = await createEvent(store, input(), options);
    await expect(selectEvent(store, 'missing')).rejects.toMatchObject({ code: 'not-found' });
    expect(await store.getSetting(CURRENT_EVENT_SETTING)).toBe(first.ok ? first.event.id : 'x');
  });
});

describe('todayIsoDate', () => {
  it('is the local calendar date, zero-padded', () => {
    expect(todayIsoDate(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
    expect(todayIsoDate(new Date(2026, 11, 31, 0, 1))).toBe('2026-12-31');
  });
});
