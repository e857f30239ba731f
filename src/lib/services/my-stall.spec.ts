import { describe, expect, it } from 'vitest';
import { MemoryDeviceStore } from '$lib/db/memory-store';
import type { MarketEvent, Stall } from '$lib/domain/types';
import { frameAround, loadMyStall } from './my-stall';

const EVENT = '0190a000-0000-7000-8000-0000000000e1';
const MAKER = '0190a000-0000-7000-8000-0000000000f1';

const event: MarketEvent = {
  id: EVENT,
  organisationId: '0190a000-0000-7000-8000-0000000000a1',
  seriesId: null,
  name: 'Pop-up Bazaar',
  date: '2026-06-13',
  place: 'Leidschendam',
  opensAt: '11:00',
  closesAt: '17:00',
  status: 'published',
  origin: 'server',
  createdAt: 1,
  updatedAt: 1,
};

function stall(id: string, label: string, x: number, y: number): Stall {
  return {
    id,
    eventId: EVENT,
    label,
    x,
    y,
    width: 2,
    height: 1,
    notes: '',
    power: true,
    table: false,
    foodHygiene: false,
  };
}

const a1 = stall('0190a000-0000-7000-8000-0000000000b1', 'A1', 0, 0);
const a2 = stall('0190a000-0000-7000-8000-0000000000b2', 'A2', 4, 3);
const assignment = {
  id: '0190a000-0000-7000-8000-0000000000c1',
  eventId: EVENT,
  stallId: a2.id,
  makerId: MAKER,
  arrivalTime: '09:30',
  instructions: 'Ingang achter',
};

async function storeWith(changes: Parameters<MemoryDeviceStore['applyPull']>[0]['changes']) {
  const store = new MemoryDeviceStore();
  await store.applyPull({ changes, cursor: '1.1', epoch: 'e1' });
  return store;
}

describe('my stall, offline', () => {
  it('[A6] shows the pulled assignment on the pulled map, own stall highlighted, nearest landmark named', async () => {
    const store = await storeWith([
      { entity: 'event', op: 'upsert', data: event },
      { entity: 'stall', op: 'upsert', data: a1 },
      { entity: 'stall', op: 'upsert', data: a2 },
      { entity: 'stall_assignment', op: 'upsert', data: assignment },
      {
        entity: 'event_map',
        op: 'upsert',
        data: {
          id: EVENT,
          eventId: EVENT,
          width: 12,
          height: 8,
          landmarks: [
            {
              id: '0190a000-0000-7000-8000-0000000000d1',
              eventId: EVENT,
              kind: 'entrance',
              label: '',
              x: 4,
              y: 7,
              width: 2,
              height: 1,
            },
          ],
        },
      },
      {
        entity: 'announcement',
        op: 'upsert',
        data: {
          id: '0190a000-0000-7000-8000-0000000000a9',
          eventId: EVENT,
          body: 'Hoi',
          sentAt: 5,
        },
      },
    ]);
    const mine = await loadMyStall(store, EVENT);
    expect(mine?.stalls).toHaveLength(1);
    const view = mine?.stalls[0];
    expect(view).toMatchObject({
      kind: 'assigned',
      stallLabel: 'A2',
      column: 5,
      row: 4,
      arrivalTime: '09:30',
      instructions: 'Ingang achter',
      power: true,
      nearestLandmark: { kind: 'entrance', distance: 3 },
    });
    if (view?.kind !== 'assigned') throw new Error('assigned expected');
    expect(view.map.width).toBe(12);
    expect(view.map.stalls.filter((s) => s.highlighted).map((s) => s.label)).toEqual(['A2']);
    expect(mine?.announcements.map((a) => a.body)).toEqual(['Hoi']);
    expect(mine?.results).toBeNull();
  });

  it('without the map frame yet, the map is just big enough for the stalls', async () => {
    expect(frameAround([a1, a2])).toEqual({ width: 6, height: 4 });
    const store = await storeWith([
      { entity: 'event', op: 'upsert', data: event },
      { entity: 'stall', op: 'upsert', data: a2 },
      { entity: 'stall_assignment', op: 'upsert', data: assignment },
    ]);
    const view = (await loadMyStall(store, EVENT))?.stalls[0];
    expect(view?.kind === 'assigned' && view.map).toMatchObject({ width: 6, height: 4 });
  });

  it('no assignment says "no stall"; an unknown event is null', async () => {
    const store = await storeWith([{ entity: 'event', op: 'upsert', data: event }]);
    expect((await loadMyStall(store, EVENT))?.stalls.map((s) => s.kind)).toEqual(['no-stall']);
    expect(await loadMyStall(store, '0190a000-0000-7000-8000-000000000000')).toBeNull();
  });

  it('[M9] a landmark of a later kind (exactKind) is shown as that kind, not as "other"', async () => {
    const store = await storeWith([
      { entity: 'event', op: 'upsert', data: event },
      { entity: 'stall', op: 'upsert', data: a2 },
      { entity: 'stall_assignment', op: 'upsert', data: assignment },
      {
        entity: 'event_map',
        op: 'upsert',
        data: {
          id: EVENT,
          eventId: EVENT,
          width: 12,
          height: 8,
          landmarks: [
            {
              id: '0190a000-0000-7000-8000-0000000000d2',
              eventId: EVENT,
              kind: 'other',
              exactKind: 'water',
              label: '',
              x: 4,
              y: 5,
              width: 1,
              height: 1,
            },
          ],
        },
      },
    ]);
    const view = (await loadMyStall(store, EVENT))?.stalls[0];
    expect(view).toMatchObject({ kind: 'assigned', nearestLandmark: { kind: 'water' } });
    expect(view?.kind === 'assigned' && view.map.landmarks).toMatchObject([{ kind: 'water' }]);
  });

  it('a stall the organiser deleted: the pulled deletion of the assignment leaves the maker with "no stall"', async () => {
    const store = await storeWith([
      { entity: 'event', op: 'upsert', data: event },
      { entity: 'stall', op: 'upsert', data: a2 },
      { entity: 'stall_assignment', op: 'upsert', data: assignment },
    ]);
    await store.applyPull({
      changes: [
        { entity: 'deleted', op: 'delete', data: { entity: 'stall', id: a2.id } },
        {
          entity: 'deleted',
          op: 'delete',
          data: { entity: 'stall_assignment', id: assignment.id },
        },
      ],
      cursor: '1.2',
      epoch: 'e1',
    });
    expect((await loadMyStall(store, EVENT))?.stalls.map((s) => s.kind)).toEqual(['no-stall']);
  });
});
