import { PERSISTENCE_SETTING, requestPersistence, type PersistenceResult } from '$lib/db';
import { StoreError, type DeviceStore } from '$lib/db/device-store';
import { uuidv7 } from '$lib/domain/ids';
import type { StallProfile } from '$lib/domain/types';
import { withVatScheme, type VatSchemeChoice } from './vat-scheme';

/**
 * The maker's profile: the first run (welcome) creates it, settings changes it. No account
 * is needed; `userId` stays null until the maker signs in and syncs.
 */

/** Receipts and the header have room for this many characters. */
export const MAX_STALL_NAME_LENGTH = 60;

export type StallNameError = 'required' | 'too-long';

export interface ProfileInput {
  stallName: string;
  cashRounding: boolean;
}

export type ProfileResult =
  { ok: true; profile: StallProfile } | { ok: false; errors: { stallName: StallNameError } };

/** Stall name: trimmed, 1..60 characters as a person counts them (code points). */
export function validateStallName(
  raw: string,
): { ok: true; value: string } | { ok: false; error: StallNameError } {
  const value = raw.trim();
  if (value === '') return { ok: false, error: 'required' };
  if ([...value].length > MAX_STALL_NAME_LENGTH) return { ok: false, error: 'too-long' };
  return { ok: true, value };
}

/** The welcome step also asks about the KOR; no answer (skipped) keeps what the profile had. */
export interface WelcomeInput extends ProfileInput {
  vatScheme?: VatSchemeChoice | null;
}

/**
 * First run: creates the profile this device sells for. Pressing "start" twice (or coming
 * back to the welcome screen) updates the same profile instead of making a second maker.
 */
export async function completeWelcome(
  store: DeviceStore,
  input: WelcomeInput,
  now: () => number = Date.now,
): Promise<ProfileResult> {
  const name = validateStallName(input.stallName);
  if (!name.ok) return { ok: false, errors: { stallName: name.error } };
  const existing = await store.getProfile();
  const base: StallProfile = existing
    ? { ...existing, stallName: name.value, cashRounding: input.cashRounding }
    : {
        id: uuidv7(),
        stallName: name.value,
        organisationId: null,
        userId: null,
        cashRounding: input.cashRounding,
        createdAt: now(),
      };
  const profile = input.vatScheme ? withVatScheme(base, input.vatScheme) : base;
  await store.saveProfile(profile);
  return { ok: true, profile };
}

/** Settings: renames the stall and switches cash rounding. The profile must exist. */
export async function updateProfile(
  store: DeviceStore,
  input: ProfileInput,
): Promise<ProfileResult> {
  const name = validateStallName(input.stallName);
  if (!name.ok) return { ok: false, errors: { stallName: name.error } };
  const existing = await store.getProfile();
  if (!existing) throw new StoreError('not-found', 'There is no profile on this device yet.');
  const profile = { ...existing, stallName: name.value, cashRounding: input.cashRounding };
  await store.saveProfile(profile);
  return { ok: true, profile };
}

/**
 * "Ask again" in settings: requestPersistence asks only once and then answers from memory
 * (Firefox prompts, and asking at every start would nag), so forget the old answer first.
 * A browser that grants later (e.g. after the app was installed) says yes now.
 */
export async function askPersistenceAgain(
  store: DeviceStore,
  storage?: Partial<Pick<StorageManager, 'persist' | 'persisted'>>,
): Promise<PersistenceResult> {
  await store.setSetting(PERSISTENCE_SETTING, null);
  return requestPersistence(storage ? { store, storage } : { store });
}
