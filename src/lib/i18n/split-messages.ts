// Splits Paraglide's compiled message modules by language for the browser build: each
// message module keeps its base-language (Dutch) function and asks a table for the others;
// each other language becomes one table module with all its messages, loaded on demand
// (src/lib/i18n/locale-messages.ts). Pure text transforms over the compiler's output shape
// (src/lib/paraglide/messages/<key>.js, one `const <locale>_<key> = ...\n};` per language
// and a dispatcher `if (locale === "<locale>") return <locale>_<key>(inputs)`); anything of
// another shape is left as it is, so a change in Paraglide's output costs bytes, never texts.

/** The module the split message modules import their lookup from. */
export const RUNTIME_ID = 'virtual:kraam-locale-messages';
/** One language's table: `${TABLE_ID_PREFIX}<locale>`. */
export const TABLE_ID_PREFIX = 'virtual:kraam-locale-table/';

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
 * One language's table module: every message's function for `locale`, as `messages`.
 * `registryPath` is the compiled registry (plural rules and the like) the functions use.
 */
export function localeTableModule(
  modules: readonly { key: string; code: string }[],
  locale: string,
  registryPath: string,
): string {
  const definitions: string[] = [];
  const entries: string[] = [];
  for (const { key, code } of modules) {
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
    .map((l) => `\t${JSON.stringify(l)}: () => import(${JSON.stringify(TABLE_ID_PREFIX + l)}),`)
    .join('\n');
  return `const tables = {};
const loaders = {
${loaders}
};
export function localeMessage(locale, key) {
\treturn tables[locale]?.[key];
}
export async function loadLocaleMessages(locale) {
\tif (tables[locale] || !loaders[locale]) return;
\ttry {
\t\ttables[locale] = (await loaders[locale]()).messages;
\t} catch {
\t\t// Not loadable (offline before the service worker had it): the base language shows.
\t}
}
`;
}
