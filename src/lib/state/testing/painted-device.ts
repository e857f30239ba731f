// The device as a previous visit left it, for the specs of the till's first paint (issue 11:
// till-paint*.svelte.spec.ts): a stall, its events, the current one chosen, and its bread.
import { expect } from 'vitest';
import { openDeviceStore } from '$lib/db';
import { marketEvent, nextHlc, product, stallProfile } from '$lib/db/contract-fixtures';
import type { DeviceStore } from '$lib/db/device-store';
import { readFirstPaint, type FirstPaint } from '$lib/db/first-paint';
import type { Product, StallProfile } from '$lib/domain/types';
import { CURRENT_EVENT_SETTING } from '$lib/services/current-event';
import { app } from '../app.svelte';
import { till } from '../till.svelte';

export interface PaintedDevice {
  /** `events`: [id, date] of each event the device knows; `current`: the one it sells at. */
  events: Array<[id: string, date: string]>;
  current: string;
  profile?: Partial<StallProfile>;
}

/** The bakery (`maker-1` unless told) and its bread (3.50), stored as the app stores them. */
export async function seedPaintedDevice(
  device: PaintedDevice,
): Promise<{ seeded: DeviceStore; bread: Product }> {
  const seeded = await openDeviceStore();
  await seeded.saveProfile(stallProfile({ cashRounding: false, createdAt: 1, ...device.profile }));
  for (const [id, date] of device.events) await seeded.saveEvent(marketEvent(id, date), nextHlc());
  await seeded.setSetting(CURRENT_EVENT_SETTING, device.current);
  const bread = product('bread', { name: 'Brood', priceCents: 350 });
  await seeded.saveProduct(bread, nextHlc());
  return { seeded, bread };
}

/**
 * The till's first paint as a cold start makes it, before any store opens: the plain read of
 * the device (src/lib/db/first-paint.ts), then the layout's and the till's paint from it.
 */
export async function paintTheTill(): Promise<FirstPaint> {
  const first = await readFirstPaint();
  expect(first).not.toBeNull();
  app.paint(first!);
  expect(await till.paint(first!)).toBe(true);
  return first!;
}

/**
 * Another tab, meanwhile: another account's stall (`maker-b`, "Kaas van Ben") takes the phone
 * and sells its cheese (9.00) at `event` ([id, date]), made the current one when `current`.
 */
export async function anotherStallTakesOver(
  seeded: DeviceStore,
  event: [id: string, date: string],
  current: boolean,
): Promise<Product> {
  await seeded.saveProfile({
    id: 'maker-b',
    stallName: 'Kaas van Ben',
    organisationId: null,
    userId: null,
    cashRounding: false,
    createdAt: 2,
  });
  await seeded.saveEvent(marketEvent(...event), nextHlc());
  if (current) await seeded.setSetting(CURRENT_EVENT_SETTING, event[0]);
  const cheese = product('cheese', { makerId: 'maker-b', name: 'Kaas', priceCents: 900 });
  await seeded.saveProduct(cheese, nextHlc());
  return cheese;
}
