import { formatDate, formatTime } from '$lib/components/format';
import type { Locale } from '$lib/domain/types';

/** An instant (epoch ms) as the device's local date and time: "za 14 jun 2025 14:05". */
export function formatInstant(epochMs: number, locale: Locale): string {
  const d = new Date(epochMs);
  const iso = [
    String(d.getFullYear()).padStart(4, '0'),
    String(d.getMonth() + 1).padStart(2, '0'),
    String(d.getDate()).padStart(2, '0'),
  ].join('-');
  return `${formatDate(iso, locale)} ${formatTime(epochMs, locale)}`;
}
