/**
 * Small rules shared by the organiser modules: times of day, lengths as people count them,
 * natural ordering of stall labels, and change between two figures.
 *
 * Rounding (decided once, here): a percentage is a whole number, computed with integers and
 * rounded half away from zero, so +2.5% shows as 3 and -2.5% as -3 (a fall looks as big as
 * the rise of the same size).
 */
import { normalizeDigits } from '../money';

/** Length in characters as a person counts them (code points: emoji and Arabic count once). */
export function textLength(text: string): number {
  return [...text].length;
}

const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * A time of day as `<input type="time">` gives it: HH:MM, 00:00-23:59. Arabic-Indic digits
 * are accepted (a maker's keyboard) and normalised; anything else gives null.
 */
export function parseTimeOfDay(text: string): string | null {
  const normalized = normalizeDigits(text).trim();
  return TIME_PATTERN.test(normalized) ? normalized : null;
}

/** Minutes since midnight of a valid HH:MM time. */
export function minutesOfDay(time: string): number {
  const match = TIME_PATTERN.exec(time);
  if (!match) throw new RangeError(`not an HH:MM time: ${time}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

const labelCollator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Natural order of stall labels: A2 before A10, 9 before 10, case ignored. */
export function compareLabels(a: string, b: string): number {
  return labelCollator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** How labels are compared for "is this label taken": trimmed, case ignored. */
export function labelKey(label: string): string {
  return normalizeDigits(label).trim().toLocaleUpperCase('en');
}

/** Whole percent of `part / whole`, half away from zero; integer arithmetic only. */
export function percentOf(part: number, whole: number): number {
  if (!Number.isSafeInteger(part) || !Number.isSafeInteger(whole) || whole <= 0) {
    throw new RangeError(`percentOf needs integers and a positive whole, got ${part}/${whole}`);
  }
  const sign = part < 0 ? -1 : 1;
  const magnitude = Math.abs(part) * 100;
  // floor((2m + w) / 2w) is m/w rounded half up for m >= 0; the sign goes back on after.
  const rounded = Math.floor((2 * magnitude + whole) / (2 * whole));
  return rounded === 0 ? 0 : sign * rounded;
}

export interface Change {
  /** current - previous, in the figure's own unit (cents for money). */
  absolute: number;
  /**
   * Whole percent change against the previous figure, half away from zero; null when the
   * previous figure was 0 (no percentage of nothing) or negative (meaningless).
   */
  percent: number | null;
}

/** Change from a previous figure to the current one. */
export function changeBetween(previous: number, current: number): Change {
  const absolute = current - previous;
  return { absolute, percent: previous > 0 ? percentOf(absolute, previous) : null };
}
