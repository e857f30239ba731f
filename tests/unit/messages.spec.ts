import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../messages');
const locales = ['nl', 'en', 'ar'] as const;

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

/**
 * The placeholders a message uses, each once: a plural message has as many forms as its
 * language has categories (Arabic six, Dutch two), and a form may spell out its number
 * ("one" without {count}), so the set is compared, not the count of uses.
 */
function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))].sort();
}

describe('translations', () => {
  it('every message in Dutch exists in English and Arabic, with the same placeholders', () => {
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
});
