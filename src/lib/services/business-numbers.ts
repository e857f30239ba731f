import { StoreError, type DeviceStore } from '$lib/db/device-store';
import {
  parseKvkNumber,
  parseVatNumber,
  type KvkNumberError,
  type VatNumberError,
} from '$lib/domain/business-numbers';
import type { StallProfile } from '$lib/domain/types';

/**
 * Settings: the maker's KvK and VAT numbers, printed on the customer's receipt
 * (src/lib/domain/receipt.ts). Both optional; both checked before anything is stored, and
 * a refused one keeps the stored profile as it was.
 */
export interface BusinessNumbersInput {
  kvkNumber: string;
  vatNumber: string;
}

export type BusinessNumbersResult =
  | { ok: true; profile: StallProfile }
  | { ok: false; errors: { kvkNumber?: KvkNumberError; vatNumber?: VatNumberError } };

export async function updateBusinessNumbers(
  store: DeviceStore,
  input: BusinessNumbersInput,
): Promise<BusinessNumbersResult> {
  const kvk = parseKvkNumber(input.kvkNumber);
  const vat = parseVatNumber(input.vatNumber);
  if (!kvk.ok || !vat.ok) {
    return {
      ok: false,
      errors: {
        ...(kvk.ok ? {} : { kvkNumber: kvk.error }),
        ...(vat.ok ? {} : { vatNumber: vat.error }),
      },
    };
  }
  const existing = await store.getProfile();
  if (!existing) throw new StoreError('not-found', 'There is no profile on this device yet.');
  const profile: StallProfile = { ...existing, kvkNumber: kvk.value, vatNumber: vat.value };
  await store.saveProfile(profile);
  return { ok: true, profile };
}
