import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import type { MarketEvent } from '$lib/domain/types';
import {
  chooseEventIfNone,
  defaultEvent,
  ensureStall,
  landingPath,
  stallNameFrom,
  type AccountRole,
} from './account-start';
import { CURRENT_EVENT_SETTING } from './events';
import { completeWelcome } from './profile';

let store: MemoryDeviceStore;
beforeEach(() => {
  store = new MemoryDeviceStore();
});

const MAKER_ID = '01900000-0000-7000-8000-000000000001';

describe('landingPath: where each role opens the app', () => {
  it.each<[string, boolean, AccountRole[], string]>([
    ['a maker alone with a stall', true, [], '/till'],
    ['an organiser who also sells on this device', true, ['organiser'], '/till'],
    ['an organiser without a stall (never names one)', false, ['organiser'], '/organise'],
    ['a fresh device with no account', false, [], '/welcome'],
    ['an invited maker whose stall could not be made yet', false, ['maker'], '/welcome?step=name'],
    ['a helper without a stall', false, ['helper', 'organiser'], '/welcome?step=name'],
  ])('%s', (_, hasStall, roles, path) => {
    expect(landingPath({ hasStall, roles })).toBe(path);
  });
});

describe('stallNameFrom', () => {
  it('takes the first usable name, trimmed and cut to 60 characters as people count them', () => {
    expect(stallNameFrom('  ', null, ' Amal ')).toBe('Amal');
    expect(stallNameFrom('🍞'.repeat(61))).toBe('🍞'.repeat(60));
    expect(stallNameFrom(undefined, '')).toBeNull();
  });
});

describe('ensureStall', () => {
  it('makes the stall of a seller with none, under the server maker id', async () => {
    const made = await ensureStall(
      store,
      { makerId: MAKER_ID, stallName: ' Amal Bakes ' },
      () => 1_750_000_000_000,
    );
    expect(made).toEqual({
      id: MAKER_ID,
      stallName: 'Amal Bakes',
      organisationId: null,
      userId: null,
      cashRounding: false,
      createdAt: 1_750_000_000_000,
    });
    expect(await store.getProfile()).toEqual(made);
  });

  it('keeps a stall the device already has (its data is adopted as before)', async () => {
    const own = await completeWelcome(store, { stallName: 'Noor', cashRounding: true });
    const kept = await ensureStall(store, { makerId: MAKER_ID, stallName: 'Other' });
    expect(own.ok && kept).toEqual(own.ok && own.profile);
    expect((await store.getProfile())?.stallName).toBe('Noor');
  });

  it('makes nothing without a usable name', async () => {
    expect(await ensureStall(store, { makerId: null, stallName: '   ' })).toBeUndefined();
    expect(await store.getProfile()).toBeUndefined();
  });
});

function event(id: string, date: string, status: MarketEvent['status'] = 'open'): MarketEvent {
  return {
    id,
    organisationId: null,
    seriesId: null,
    name: id,
    date,
    place: '',
    opensAt: null,
    closesAt: null,
    status,
    origin: 'server',
    createdAt: 1,
    updatedAt: 1,
  };
}

describe('defaultEvent', () => {
  const events = [
    event('past', '2026-11-01'),
    event('closed-today', '2026-12-06', 'closed'),
    event('next', '2026-12-13'),
    event('later', '2027-01-10'),
  ];
  it("picks today's or the next open event", () => {
    expect(defaultEvent(events, '2026-12-06')?.id).toBe('next');
    expect(defaultEvent([...events, event('today', '2026-12-06')], '2026-12-06')?.id).toBe('today');
  });
  it('else the most recent one, and nothing without open events', () => {
    expect(defaultEvent(events, '2027-02-01')?.id).toBe('later');
    expect(defaultEvent([event('c', '2026-12-06', 'closed')], '2026-12-06')).toBeUndefined();
  });
});

describe('chooseEventIfNone', () => {
  const hlc = () => '0000000000001:0000:device';
  it('chooses one only when the till has none', async () => {
    await store.saveEvent(event('a', '2026-12-13'), hlc());
    await store.saveEvent(event('b', '2026-12-20'), hlc());
    expect((await chooseEventIfNone(store, new Date(2026, 11, 6)))?.id).toBe('a');
    await store.setSetting(CURRENT_EVENT_SETTING, 'b');
    expect((await chooseEventIfNone(store, new Date(2026, 11, 6)))?.id).toBe('b');
    expect(await store.getSetting(CURRENT_EVENT_SETTING)).toBe('b');
  });
});
