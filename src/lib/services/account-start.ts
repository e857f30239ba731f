import type { DeviceStore } from '$lib/db/device-store';
import { uuidv7 } from '$lib/domain/ids';
import type { Id, MarketEvent, StallProfile } from '$lib/domain/types';
import { CURRENT_EVENT_SETTING, todayIsoDate } from './current-event';
import { MAX_STALL_NAME_LENGTH } from './profile';

/**
 * The first minutes after signing in, signing up or joining by invitation: where a person
 * goes, and the stall a seller's device needs so the till is ready without a welcome screen.
 * An organiser never needs a stall; a maker or helper gets one named from their profile.
 */

export type AccountRole = 'organiser' | 'maker' | 'helper';

export type LandingPath = '/till' | '/organise' | '/welcome' | '/welcome?step=name';

/** Whether any of the roles sells at a stall (a maker, or a helper at a maker's stall). */
export function sells(roles: readonly AccountRole[]): boolean {
  return roles.includes('maker') || roles.includes('helper');
}

/**
 * Where the app opens: a device with a stall opens the till; an organiser without one opens
 * the organiser area; a seller whose stall could not be made yet names it; anyone else
 * (no account, or an account with no organisation) chooses on the welcome screen.
 */
export function landingPath(input: {
  hasStall: boolean;
  roles: readonly AccountRole[];
}): LandingPath {
  if (input.hasStall) return '/till';
  if (sells(input.roles)) return '/welcome?step=name';
  if (input.roles.includes('organiser')) return '/organise';
  return '/welcome';
}

/** A stall name from the server's profile or the account's name: trimmed, cut to 60 characters. */
export function stallNameFrom(...candidates: (string | null | undefined)[]): string | null {
  for (const candidate of candidates) {
    const name = [...(candidate ?? '').trim()].slice(0, MAX_STALL_NAME_LENGTH).join('').trim();
    if (name !== '') return name;
  }
  return null;
}

/**
 * Makes this device's stall for a seller who has none (an invited maker or helper, or a
 * returning maker on a new phone), under the server's maker id so the device sells as the
 * same maker. A device that already has a stall keeps it as it is: its data is adopted by
 * the account on the first sync (SPEC.md "Accounts"). Without a usable name nothing is made.
 */
export async function ensureStall(
  store: DeviceStore,
  input: { makerId: Id | null; stallName: string | null },
  now: () => number = Date.now,
): Promise<StallProfile | undefined> {
  const existing = await store.getProfile();
  if (existing) return existing;
  const stallName = stallNameFrom(input.stallName);
  if (stallName === null) return undefined;
  const profile: StallProfile = {
    id: input.makerId ?? uuidv7(),
    stallName,
    organisationId: null,
    userId: null,
    cashRounding: false,
    createdAt: now(),
  };
  await store.saveProfile(profile);
  return profile;
}

/**
 * The event a fresh till sells into when none is chosen: today's, else the next one ahead,
 * else the most recent one. Undefined when there are no events (or none that is open).
 */
export function defaultEvent(
  events: readonly MarketEvent[],
  today: string,
): MarketEvent | undefined {
  const open = events.filter((event) => event.status !== 'closed');
  const ahead = open
    .filter((event) => event.date >= today)
    .sort((a, b) => a.date.localeCompare(b.date) || a.createdAt - b.createdAt);
  if (ahead[0]) return ahead[0];
  return [...open].sort((a, b) => b.date.localeCompare(a.date) || b.createdAt - a.createdAt)[0];
}

/** Chooses the till's event after the first pull, unless one is chosen (and still there). */
export async function chooseEventIfNone(
  store: DeviceStore,
  now: Date = new Date(),
): Promise<MarketEvent | undefined> {
  const currentId = await store.getSetting<Id>(CURRENT_EVENT_SETTING);
  const current = currentId ? await store.getEvent(currentId) : undefined;
  if (current) return current;
  const chosen = defaultEvent(await store.listEvents(), todayIsoDate(now));
  if (chosen) await store.setSetting(CURRENT_EVENT_SETTING, chosen.id);
  return chosen;
}
