import { dayOfHour } from './summary';

/**
 * When a sale's time needs its date beside it: when the sale's calendar day (device local,
 * the summary's hour key) is not the event's day. A market is one day, so the time alone is
 * enough, except when a phone's clock was wrong (days ahead) or an event ran past midnight;
 * then a bare "14:05" would hide which day it was.
 */
export function showsSaleDate(saleHourKey: string, eventDate: string): boolean {
  return dayOfHour(saleHourKey) !== eventDate;
}
