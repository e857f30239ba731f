import type { DeviceStore } from '$lib/db/device-store';
import {
  decodeReceipt,
  encodeReceipt,
  receiptFromSale,
  ReceiptTooLargeError,
} from '$lib/domain/receipt';
import type { Id } from '$lib/domain/types';

/**
 * "Receipt for the customer": the link a QR code on the till carries, for a stored sale.
 * Made on the device from the device's own data (works offline); the receipt rides in the
 * fragment (`/r#…`, src/lib/domain/receipt.ts), so opening it tells the server nothing.
 */
export type ReceiptLinkResult =
  | { ok: true; url: string; receiptNumber: number }
  | { ok: false; error: 'not-found' | 'voided' | 'too-large' | 'unreadable' };

export async function receiptLink(
  store: Pick<DeviceStore, 'getSale' | 'getSaleLines' | 'getProfile'>,
  saleId: Id,
  origin: string,
): Promise<ReceiptLinkResult> {
  const [sale, lines, profile] = await Promise.all([
    store.getSale(saleId),
    store.getSaleLines(saleId),
    store.getProfile(),
  ]);
  if (!sale || !profile || lines.length === 0) return { ok: false, error: 'not-found' };
  if (sale.status === 'voided') return { ok: false, error: 'voided' };
  try {
    const fragment = encodeReceipt(receiptFromSale(sale, lines, profile));
    // The page refuses what breaks its rules (e.g. an amount beyond the till's limits); the
    // maker hears it here instead of the customer meeting "cannot be read".
    if (!decodeReceipt(fragment).ok) return { ok: false, error: 'unreadable' };
    return { ok: true, url: `${origin}/r#${fragment}`, receiptNumber: sale.receiptNumber };
  } catch (error) {
    if (error instanceof ReceiptTooLargeError) return { ok: false, error: 'too-large' };
    throw error;
  }
}
