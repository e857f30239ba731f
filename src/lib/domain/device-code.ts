/**
 * Device codes: the short letter shown before a receipt number (A-7, B-7), so the receipts of
 * a maker's phones never look alike. Receipt numbers are per device (SalesStore.recordSale),
 * so the code is what tells two "#7" of one stall apart.
 *
 * The rule (src/lib/sync/SPEC.md, "Device codes"): the server hands out the code when a
 * device first pushes for a maker, the lowest one not held by another device of that maker:
 * A..Z, then AA..ZZ (702 devices of one maker before a third letter). A device offline or
 * without an account has no code yet and shows its plain numbers: until it has synced it
 * shows only its own sales, so they cannot be mistaken for another phone's.
 */

const LETTERS = 26;

/** The code at position `index` (0 = A, 25 = Z, 26 = AA, ...): spreadsheet columns. */
export function deviceCodeAt(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError('deviceCodeAt: bad index');
  let code = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / LETTERS)) {
    code = String.fromCharCode(65 + ((n - 1) % LETTERS)) + code;
  }
  return code;
}

/** Up to three capital letters: every code a maker can be given (18,278 devices). */
export const DEVICE_CODE_PATTERN = /^[A-Z]{1,3}$/;

export function isDeviceCode(value: unknown): value is string {
  return typeof value === 'string' && DEVICE_CODE_PATTERN.test(value);
}

/** The lowest code not in `taken`. */
export function lowestFreeDeviceCode(taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let index = 0; ; index++) {
    const code = deviceCodeAt(index);
    if (!used.has(code)) return code;
  }
}

/** A receipt number as people say it: "A-7" with the device's code, "7" before it has one. */
export function receiptLabel(receiptNumber: number, code: string | null | undefined): string {
  return code ? `${code}-${receiptNumber}` : String(receiptNumber);
}
