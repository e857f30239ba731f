// The device as a previous visit left it, for the specs of the till's first paint (issue 11:
// till-paint*.svelte.spec.ts): a stall, its events, the current one chosen, and its bread.
import { openDeviceStore } from '$lib/db';
import { marketEvent, nextHlc, product, stallProfile } from '$lib/db/contract-fixtures';
import type { DeviceStore } from '$lib/db/device-store';
import type { Product, StallProfile } from '$lib/domain/types';
import { CURRENT_EVENT_SETTING } from '$lib/services/current-event';

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
