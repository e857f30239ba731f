import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '$lib/domain/locales';

const root = join(import.meta.dirname, '../../messages');
/** Every language Paraglide compiles: the completeness checks below cover each one. */
const locales = (
  JSON.parse(readFileSync(join(root, '../project.inlang/settings.json'), 'utf8')) as {
    locales: string[];
  }
).locales;

function messageFiles(): string[] {
  const dirs = [root, ...readdirSync(root).map((d) => join(root, d))].filter((d) =>
    statSync(d).isDirectory(),
  );
  return dirs;
}

function keysOf(dir: string, locale: string): Map<string, string> {
  const json = JSON.parse(readFileSync(join(dir, `${locale}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(json)) {
    if (key === '$schema') continue;
    out.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return out;
}

/** A message's words: its text without placeholders and, for a plural message, its syntax. */
function prose(text: string): string {
  if (!text.startsWith('[')) return text.replace(/\{\w+\}/g, '');
  const variants = JSON.parse(text) as { match?: Record<string, string> }[];
  return variants
    .flatMap((v) => Object.values(v.match ?? {}))
    .join(' ')
    .replace(/\{\w+\}/g, '');
}

/**
 * The inputs a message takes, as a set: its placeholders and declared inputs (a plural
 * message may leave the number out of a variant, e.g. Arabic "صانعان", two makers), minus
 * its local variables.
 */
function placeholders(text: string): string[] {
  const locals = new Set([...text.matchAll(/local (\w+) =/g)].map((m) => m[1]));
  const names = [
    ...[...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''),
    ...[...text.matchAll(/"input (\w+)"/g)].map((m) => m[1] ?? ''),
  ].filter((name) => !locals.has(name));
  return [...new Set(names)].sort();
}

describe('translations', () => {
  it("the app's language list is Paraglide's, with all seven languages", async () => {
    const { locales: compiled } = await import('$lib/paraglide/runtime');
    expect(locales).toEqual([...LOCALES]);
    expect([...compiled]).toEqual([...LOCALES]);
    expect(LOCALES).toEqual(['nl', 'en', 'ar', 'ti', 'fa', 'uk', 'tr']);
  });

  it('every message in Dutch exists in every language, with the same placeholders', () => {
    for (const dir of messageFiles()) {
      const nl = keysOf(dir, 'nl');
      for (const locale of locales) {
        const other = keysOf(dir, locale);
        expect([...other.keys()].sort(), `${dir}/${locale}.json keys`).toEqual(
          [...nl.keys()].sort(),
        );
        for (const [key, text] of other) {
          expect(text.trim(), `${dir}/${locale}.json ${key} is empty`).not.toBe('');
          expect(placeholders(text), `${locale} ${key} placeholders`).toEqual(
            placeholders(nl.get(key) ?? ''),
          );
        }
      }
    }
  });

  it('the compiled Paraglide messages are not empty (offline compile writes an empty set: docs/stack-notes.md pitfall 1)', async () => {
    const messages = (await import('$lib/paraglide/messages')) as Record<string, unknown>;
    const compiled = Object.keys(messages).filter((k) => typeof messages[k] === 'function');
    const source = messageFiles().reduce((n, dir) => n + keysOf(dir, 'nl').size, 0);
    expect(source).toBeGreaterThan(0);
    expect(compiled.length).toBeGreaterThanOrEqual(source);
  });

  it('Arabic messages are written in Arabic script, not left in Dutch or English', () => {
    for (const dir of messageFiles()) {
      const ar = keysOf(dir, 'ar');
      const nl = keysOf(dir, 'nl');
      const untranslated = [...ar].filter(
        ([key, text]) =>
          !/[\u0600-\u06FF]/.test(text) &&
          text === nl.get(key) &&
          /[a-z]{3}/i.test(text.replace(/\{\w+\}/g, '')),
      );
      // Brand names and pure placeholders may stay as they are; real sentences may not.
      expect(untranslated.filter(([k]) => k !== 'app_name').map(([k]) => k)).toEqual([]);
    }
  });

  // Tigrinya, Persian and Ukrainian have scripts of their own: a message with Latin words and
  // none of its script's letters was left untranslated. Turkish is written in Latin letters,
  // so there the test is that a message is not the Dutch or English text.
  const scripts: Record<string, RegExp> = {
    ti: /[\u1200-\u137F]/, // Ethiopic (Ge'ez)
    fa: /[\u0600-\u06FF]/, // Arabic script
    uk: /[\u0400-\u04FF]/, // Cyrillic
  };
  // Brand names, and words that are the same in Turkish as in Dutch or English.
  const sameEverywhere = ['app_name', 'org_pub_instagram', 'org_profile_instagram'];
  const sameInTurkish = ['sales_net', 'account_invite_role'];

  it.each(['ti', 'fa', 'uk', 'tr'])(
    '%s messages are translated, not left in Dutch or English',
    (locale) => {
      for (const dir of messageFiles()) {
        const own = keysOf(dir, locale);
        const nl = keysOf(dir, 'nl');
        const en = keysOf(dir, 'en');
        const script = scripts[locale];
        const untranslated = [...own].filter(([key, text]) => {
          if (sameEverywhere.includes(key)) return false;
          const words = /[a-z]{3}/i.test(prose(text));
          if (script) return words && !script.test(text);
          return (
            words && !sameInTurkish.includes(key) && (text === nl.get(key) || text === en.get(key))
          );
        });
        expect(
          untranslated.map(([k]) => k),
          `${dir}/${locale}.json`,
        ).toEqual([]);
      }
    },
  );

  it.each(['nl', 'en', 'ar', 'ti', 'fa', 'uk', 'tr'])(
    "%s plural messages have a form for each of the language's plural categories",
    (locale) => {
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      for (const dir of messageFiles()) {
        const json = JSON.parse(readFileSync(join(dir, `${locale}.json`), 'utf8')) as Record<
          string,
          unknown
        >;
        for (const [key, value] of Object.entries(json)) {
          if (!Array.isArray(value)) continue;
          for (const variant of value as { match?: Record<string, string> }[]) {
            const forms = Object.keys(variant.match ?? {}).map((m) => m.split('=')[1]);
            for (const category of categories) {
              expect(forms, `${locale} ${key}: the "${category}" form`).toContain(category);
            }
          }
        }
      }
    },
  );
});
