import { StoreError, type DeviceStore } from '$lib/db/device-store';
import { USUAL_VAT_RATES, type UsualVatRate, type VatSchemeFields } from '$lib/domain/kor';
import type { StallProfile } from '$lib/domain/types';

/**
 * The maker's answer to "do you use the small-business scheme (KOR)?": asked once on the
 * welcome screen (it can be skipped) and changed in settings. It sets the rate a new product
 * starts with (domain/kor.ts `defaultVatRate`) and whether the turnover tracker shows.
 * Kept in the device's profile only: the profile does not sync today.
 */
export type VatSchemeChoice = { kor: true } | { kor: false; usualVatRate: UsualVatRate };

export type VatSchemeError = 'kor-invalid' | 'rate-required';

/**
 * Reads the form: `kor` is 'yes', 'no' or '' (not answered: null, nothing changes);
 * outside the KOR a usual rate of 9 or 21 is required.
 */
export function checkVatScheme(raw: {
  kor: unknown;
  usualVatRate: unknown;
}): { ok: true; value: VatSchemeChoice | null } | { ok: false; error: VatSchemeError } {
  if (raw.kor === '' || raw.kor === null || raw.kor === undefined) return { ok: true, value: null };
  if (raw.kor === 'yes') return { ok: true, value: { kor: true } };
  if (raw.kor !== 'no') return { ok: false, error: 'kor-invalid' };
  const rate = typeof raw.usualVatRate === 'string' ? Number(raw.usualVatRate) : raw.usualVatRate;
  const usual = USUAL_VAT_RATES.find((known) => known === rate);
  if (usual === undefined) return { ok: false, error: 'rate-required' };
  return { ok: true, value: { kor: false, usualVatRate: usual } };
}

/** The profile with a choice applied (a KOR maker keeps no usual rate). */
export function withVatScheme(profile: StallProfile, choice: VatSchemeChoice): StallProfile {
  const next: StallProfile = { ...profile, kor: choice.kor };
  if (choice.kor) delete next.usualVatRate;
  else next.usualVatRate = choice.usualVatRate;
  return next;
}

/** The form's starting values for a profile: 'yes', 'no' or '' and the rate as text. */
export function vatSchemeFormValues(profile: VatSchemeFields | undefined): {
  kor: '' | 'yes' | 'no';
  usualVatRate: string;
} {
  const kor = profile?.kor === true ? 'yes' : profile?.kor === false ? 'no' : '';
  return { kor, usualVatRate: profile?.usualVatRate ? String(profile.usualVatRate) : '' };
}

/** Settings: stores the answer in the profile. The profile must exist. */
export async function saveVatScheme(
  store: DeviceStore,
  choice: VatSchemeChoice,
): Promise<StallProfile> {
  const existing = await store.getProfile();
  if (!existing) throw new StoreError('not-found', 'There is no profile on this device yet.');
  const profile = withVatScheme(existing, choice);
  await store.saveProfile(profile);
  return profile;
}
