import { describe, expect, it } from 'vitest';
import * as compiled from '$lib/paraglide/messages';
import {
  configuredLocales,
  inputsOf,
  messagesOf,
  settings,
  type MessageValue,
} from './message-source';

/**
 * Which messages take a count: every message with an input named `count` or ending in
 * `Count` (`maxCount`, `minuteCount`, ...). A message that shows a number of things names
 * its input that way, so this test finds it; the numbers a message only labels (a receipt
 * number, "photo {n}", a stall label) have other names. Each such message must choose its
 * words with the plural selector (`local countPlural = count: plural`) in every configured
 * language, with a variant for every plural category of that language (Arabic: zero, one,
 * two, few, many, other; Dutch and English: one, other).
 */
const isCountInput = (name: string) => name === 'count' || /Count$/.test(name);

const samples = [0, 1, 2, 3, 11, 100];

type Render = (inputs: Record<string, unknown>, options: { locale: string }) => string;
const render = compiled as unknown as Record<string, Render>;

const base = messagesOf(settings.baseLocale);
const counted = [...base]
  .filter(([, value]) => inputsOf(value).some(isCountInput))
  .map(([key]) => key)
  .sort();

/** The local variable that selects on `input` with the plural function, if any. */
function pluralSelector(value: MessageValue, input: string): string | undefined {
  if (typeof value === 'string') return undefined;
  for (const part of value) {
    for (const declaration of part.declarations ?? []) {
      const m = new RegExp(`^local\\s+(\\w+)\\s*=\\s*${input}\\s*:\\s*plural\\b`).exec(declaration);
      if (m?.[1] && part.selectors?.includes(m[1])) return m[1];
    }
  }
  return undefined;
}

/**
 * Whether the language's own grammar (CLDR, through Intl) writes this number as a word
 * rather than digits: Arabic says يوم and يومان for one and two days, so a message may say
 * صانع واحد and صانعان too. Everywhere else the digits must be in the text.
 */
function numberIsAWord(locale: string, n: number): boolean {
  const days = new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'day',
    unitDisplay: 'long',
  }).format(n);
  return !/\p{Nd}/u.test(days);
}

describe('plurals: every message with a count', () => {
  it('the counted messages are found (the ones the issue named among them)', () => {
    for (const key of [
      'till_items',
      'till_left',
      'org_dash_makers',
      'org_dash_makers_sharing',
      'org_results_makers',
      'org_results_makers_sharing',
      'catalog_error_name_too_long',
      'account_error_account_paused',
      'org_stall_near',
    ]) {
      expect(counted, key).toContain(key);
    }
  });

  for (const locale of configuredLocales) {
    it(`${locale}: each counted message selects on the plural category of each count, with a variant per category`, () => {
      const messages = messagesOf(locale);
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      const problems: string[] = [];
      for (const key of counted) {
        const value = messages.get(key);
        if (value === undefined) {
          problems.push(`${key}: missing`);
          continue;
        }
        for (const input of inputsOf(base.get(key) ?? '').filter(isCountInput)) {
          const selector = pluralSelector(value, input);
          if (!selector || typeof value === 'string') {
            problems.push(`${key}: no plural selector on ${input}`);
            continue;
          }
          const keys = value.flatMap((part) => Object.keys(part.match));
          for (const category of categories) {
            const has = keys.some(
              (k) =>
                k.includes(`${selector}=${category}`) ||
                (category === 'other' && k.includes(`${selector}=*`)),
            );
            if (!has) problems.push(`${key}: no variant for ${selector}=${category}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it(`${locale}: each counted message renders 0, 1, 2, 3, 11 and 100 with the number and no placeholder left`, () => {
      const problems: string[] = [];
      for (const key of counted) {
        const fn = render[key];
        if (typeof fn !== 'function') {
          problems.push(`${key}: not compiled`);
          continue;
        }
        const inputs = inputsOf(base.get(key) ?? '');
        for (const n of samples) {
          const values = Object.fromEntries(
            inputs.map((name) => [name, isCountInput(name) ? n : `«${name}»`]),
          );
          const text = fn(values, { locale });
          const digits = [String(n), new Intl.NumberFormat(locale).format(n)];
          if (/[{}]/.test(text) || text.includes('undefined')) {
            problems.push(`${key}(${n}): ${text}`);
          } else if (!numberIsAWord(locale, n) && !digits.some((d) => text.includes(d))) {
            problems.push(`${key}(${n}) lacks the number: ${text}`);
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
