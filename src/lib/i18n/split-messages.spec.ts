import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isFirstLoadMessage,
  localeTableModule,
  RUNTIME_ID,
  runtimeModule,
  splitMessageModule,
  TABLE_ID_PREFIX,
} from './split-messages';

const paraglide = resolve('src/lib/paraglide');
const settings = JSON.parse(readFileSync('project.inlang/settings.json', 'utf8')) as {
  baseLocale: string;
  locales: string[];
};
const { baseLocale, locales } = settings;
const keys = readdirSync(join(paraglide, 'messages'))
  .filter((f) => /^[a-z0-9_]+\.js$/i.test(f) && f !== '_index.js')
  .map((f) => f.slice(0, -3));
const code = (key: string) => readFileSync(join(paraglide, 'messages', `${key}.js`), 'utf8');

type Message = (inputs?: Record<string, unknown>, options?: { locale?: string }) => string;

/**
 * The real compiled messages, split as the browser build splits them, written next to a copy
 * of Paraglide's runtime and imported: every message must say in every language exactly what
 * Paraglide's own module says.
 */
describe('splitting the compiled messages by language', () => {
  let dir: string;
  const original = new Map<string, Message>();
  const split = new Map<string, Message>();
  let load: (locale: string, part?: 'first' | 'all') => Promise<void>;
  // Plain, plural and placeholder messages.
  const sample = [
    'till_title',
    'shell_pending_sales',
    'till_completed',
    'till_discount_line',
    'org_pub_contact',
    'catalog_welcome_title',
    ...keys.filter((_, i) => i % 97 === 0),
  ];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kraam-split-'));
    for (const f of ['runtime.js', 'registry.js']) copyFileSync(join(paraglide, f), join(dir, f));
    const rewrite = (text: string) =>
      text
        .replaceAll(`"${RUNTIME_ID}"`, '"./locale-runtime.js"')
        .replace(
          /import\((".*?")\)/g,
          (_, id: string) =>
            `import("./table-${(JSON.parse(id) as string).slice(TABLE_ID_PREFIX.length).replace('/', '-')}.js")`,
        );
    writeFileSync(join(dir, 'locale-runtime.js'), rewrite(runtimeModule(locales, baseLocale)));
    const modules = keys.map((key) => ({ key, code: code(key) }));
    for (const locale of locales) {
      if (locale === baseLocale) continue;
      for (const part of ['first', 'rest'] as const) {
        writeFileSync(
          join(dir, `table-${locale}-${part}.js`),
          localeTableModule(modules, locale, './registry.js', part),
        );
      }
    }
    for (const key of sample) {
      const out = splitMessageModule(code(key), key, baseLocale, locales);
      expect(out, key).not.toBeNull();
      writeFileSync(join(dir, `split-${key}.js`), rewrite(out!).replaceAll('../', './'));
      writeFileSync(join(dir, `orig-${key}.js`), code(key).replaceAll('../', './'));
      split.set(key, (await import(pathToFileURL(join(dir, `split-${key}.js`)).href))[key]);
      original.set(key, (await import(pathToFileURL(join(dir, `orig-${key}.js`)).href))[key]);
    }
    load = (await import(pathToFileURL(join(dir, 'locale-runtime.js')).href)).loadLocaleMessages;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves only the base language in a message module', () => {
    const out = splitMessageModule(code('till_title'), 'till_title', baseLocale, locales)!;
    expect(out).toContain(`const ${baseLocale}_till_title =`);
    for (const locale of locales.filter((l) => l !== baseLocale)) {
      expect(out).not.toContain(`${locale}_till_title`);
    }
    expect(out.length).toBeLessThan(code('till_title').length);
  });

  it('says the same as Paraglide in every language once that language is loaded', async () => {
    const inputs = { count: 2, name: 'Brood', number: '12', amount: '€ 3,50' };
    for (const locale of locales) {
      await load(locale);
      for (const key of sample) {
        for (const count of [0, 1, 2, 5, 11, 100]) {
          const args = { ...inputs, count };
          expect(split.get(key)!(args, { locale }), `${key} ${locale} ${count}`).toBe(
            original.get(key)!(args, { locale }),
          );
        }
      }
    }
  });

  it('has every message of a language in one of its two tables, once', () => {
    const modules = keys.map((key) => ({ key, code: code(key) }));
    const first = localeTableModule(modules, 'ar', './registry.js', 'first');
    const rest = localeTableModule(modules, 'ar', './registry.js', 'rest');
    for (const key of keys) {
      const entry = `${JSON.stringify(key)}: ar_${key},`;
      expect([first.includes(entry), rest.includes(entry)], key).toEqual(
        isFirstLoadMessage(key) ? [true, false] : [false, true],
      );
    }
  });

  it("loads only the till's part of a language before the till's first render", async () => {
    // A fresh copy of the lookup: nothing of Turkish is loaded yet.
    const fresh = join(dir, 'locale-runtime-fresh.js');
    copyFileSync(join(dir, 'locale-runtime.js'), fresh);
    const runtime = (await import(pathToFileURL(fresh).href)) as {
      loadLocaleMessages: (locale: string, part?: 'first' | 'all') => Promise<void>;
      localeMessage: (locale: string, key: string) => Message | undefined;
    };
    await runtime.loadLocaleMessages('tr', 'first');
    expect(runtime.localeMessage('tr', 'till_title')?.({})).toBe(
      original.get('till_title')!({}, { locale: 'tr' }),
    );
    expect(runtime.localeMessage('tr', 'shell_pending_sales')).toBeDefined();
    expect(runtime.localeMessage('tr', 'org_pub_contact')).toBeUndefined();
    await runtime.loadLocaleMessages('tr');
    expect(runtime.localeMessage('tr', 'org_pub_contact')?.({})).toBe(
      original.get('org_pub_contact')!({}, { locale: 'tr' }),
    );
    expect(runtime.localeMessage('tr', 'till_title')).toBeDefined();
  });

  it('puts the messages of the till and the shell in the first part, and no others', () => {
    for (const key of ['till_title', 'shell_pending_sales', 'common_loading', 'nav_till']) {
      expect(isFirstLoadMessage(key), key).toBe(true);
    }
    for (const key of [
      'org_pub_contact',
      'catalog_welcome_title',
      'account_title',
      'sales_title',
    ]) {
      expect(isFirstLoadMessage(key), key).toBe(false);
    }
  });

  it('ships a module of another shape unchanged (null)', () => {
    expect(splitMessageModule('export const x = () => "x"', 'x', baseLocale, locales)).toBeNull();
  });
});
