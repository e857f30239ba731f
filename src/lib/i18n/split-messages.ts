// Splits Paraglide's compiled message modules by language for the browser build: each
// message module keeps its base-language (Dutch) function and asks a table for the others;
// each other language becomes one table module with all its messages, loaded on demand
// (src/lib/i18n/locale-messages.ts). Pure text transforms over the compiler's output shape
// (src/lib/paraglide/messages/<key>.js, one `const <locale>_<key> = ...\n};` per language
// and a dispatcher `if (locale === "<locale>") return <locale>_<key>(inputs)`); anything of
// another shape is left as it is, so a change in Paraglide's output costs bytes, never texts.

/** The module the split message modules import their lookup from. */
export const RUNTIME_ID = 'virtual:kraam-locale-messages';
/** One language's tables: `${TABLE_ID_PREFIX}<locale>/first` and `.../rest`. */
export const TABLE_ID_PREFIX = 'virtual:kraam-locale-table/';

/** A language's messages come in two tables: the till's first render's, and the rest. */
export type TablePart = 'first' | 'rest';

/**
 * The messages the till and the app's shell (header, navigation, sync status) show: a
 * device in a language other than the base one loads only these before the till's first
 * render, and the rest right after it (src/hooks.client.ts). Any other screen, a language
 * switch and the till's dialogs wait for both. `tests/e2e/till-weight.e2e.ts` checks that
 * every message the till's first-load code asks for is among them.
 */
const FIRST_LOAD_PREFIXES = [
  'app_',
  'common_',
  'nav_',
  'shell_',
  'till_',
  'account_sync_',
  'account_clock_',
  'account_update_',
];

export function isFirstLoadMessage(key: string): boolean {
  return FIRST_LOAD_PREFIXES.some((prefix) => key.startsWith(prefix));
}

export function tableId(locale: string, part: TablePart): string {
  return `${TABLE_ID_PREFIX}${locale}/${part}`;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function definitionPattern(locale: string, key: string): RegExp {
  return new RegExp(`^const ${escape(locale)}_${escape(key)} = [\\s\\S]*?\\n\\};\\n`, 'm');
}

/** The `const <locale>_<key> = ...;` definition of one language, or null. */
export function messageDefinition(code: string, locale: string, key: string): string | null {
  return definitionPattern(locale, key).exec(code)?.[0] ?? null;
}

/**
 * A message module as the browser build ships it: the base language's function and a lookup
 * in the loaded table for any other language (falling back to the base language, as
 * Paraglide does for a missing translation). Returns null when the code is not of the
 * expected shape (then it is shipped unchanged).
 */
export function splitMessageModule(
  code: string,
  key: string,
  baseLocale: string,
  locales: readonly string[],
): string | null {
  const baseCall = `\treturn ${baseLocale}_${key}(inputs)\n`;
  if (!code.includes(baseCall) || !messageDefinition(code, baseLocale, key)) return null;
  let out = code;
  for (const locale of locales) {
    if (locale === baseLocale) continue;
    const definition = messageDefinition(out, locale, key);
    const dispatch = `\tif (locale === "${locale}") return ${locale}_${key}(inputs)\n`;
    if (!definition !== !out.includes(dispatch)) return null;
    if (!definition) continue;
    out = out.replace(definition, '').replace(dispatch, '');
  }
  out = out.replace(
    baseCall,
    `\tif (locale !== "${baseLocale}") { const other = localeMessage(locale, "${key}"); if (other) return other(inputs) }\n` +
      baseCall,
  );
  return `import { localeMessage } from "${RUNTIME_ID}";\n${out}`;
}

/**
 * One language's table module: the function for `locale` of every message in `part`, as
 * `messages`. `registryPath` is the compiled registry (plural rules and the like) the
 * functions use.
 */
export function localeTableModule(
  modules: readonly { key: string; code: string }[],
  locale: string,
  registryPath: string,
  part: TablePart,
): string {
  const definitions: string[] = [];
  const entries: string[] = [];
  for (const { key, code } of modules) {
    if (isFirstLoadMessage(key) !== (part === 'first')) continue;
    const definition = messageDefinition(code, locale, key);
    if (!definition) continue;
    definitions.push(definition);
    entries.push(`\t${JSON.stringify(key)}: ${locale}_${key},`);
  }
  return [
    `import * as registry from ${JSON.stringify(registryPath)};`,
    ...definitions,
    `export const messages = {\n${entries.join('\n')}\n};`,
    '',
  ].join('\n');
}

/** The lookup the split message modules import, and the loader of the tables. */
export function runtimeModule(locales: readonly string[], baseLocale: string): string {
  const loaders = locales
    .filter((l) => l !== baseLocale)
    .map(
      (l) =>
        `\t${JSON.stringify(l)}: {\n` +
        `\t\tfirst: () => import(${JSON.stringify(tableId(l, 'first'))}),\n` +
        `\t\trest: () => import(${JSON.stringify(tableId(l, 'rest'))}),\n\t},`,
    )
    .join('\n');
  return `const tables = {};
const loading = {};
const loaders = {
${loaders}
};
export function localeMessage(locale, key) {
\treturn tables[locale]?.[key];
}
function loadPart(locale, part) {
\tconst id = locale + "/" + part;
\tloading[id] ??= loaders[locale][part]().then(
\t\t(module) => {
\t\t\ttables[locale] = { ...tables[locale], ...module.messages };
\t\t},
\t\t() => {
\t\t\t// Not loadable (offline before the service worker had it): the base language shows,
\t\t\t// and the next call tries again.
\t\t\tdelete loading[id];
\t\t},
\t);
\treturn loading[id];
}
export async function loadLocaleMessages(locale, part = "all") {
\tif (!loaders[locale]) return;
\tif (part === "first") return loadPart(locale, "first");
\tawait Promise.all([loadPart(locale, "first"), loadPart(locale, "rest")]);
}
`;
}
