import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The message JSON as Paraglide reads it: the locales and files named in
 * project.inlang/settings.json, so a language added there is covered by every test that
 * uses this module without editing the test.
 */
const root = join(import.meta.dirname, '../..');

interface Settings {
  baseLocale: string;
  locales: string[];
  'plugin.inlang.messageFormat': { pathPattern: string | string[] };
}

/** A complex message: declarations, selectors and variants (the plugin's array form). */
export interface ComplexMessage {
  declarations?: string[];
  selectors?: string[];
  match: Record<string, string>;
}

export type MessageValue = string | ComplexMessage[];

export const settings = JSON.parse(
  readFileSync(join(root, 'project.inlang/settings.json'), 'utf8'),
) as Settings;

export const configuredLocales: readonly string[] = settings.locales;

function patterns(): string[] {
  const p = settings['plugin.inlang.messageFormat'].pathPattern;
  return typeof p === 'string' ? [p] : p;
}

/** Every message of a locale, merged over all its files (later files win, as in the plugin). */
export function messagesOf(locale: string): Map<string, MessageValue> {
  const out = new Map<string, MessageValue>();
  for (const pattern of patterns()) {
    const file = join(root, pattern.replace('{locale}', locale));
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, MessageValue>;
    for (const [key, value] of Object.entries(json)) if (key !== '$schema') out.set(key, value);
  }
  return out;
}

/** The texts a message can show: one for a simple message, every variant of a complex one. */
export function textsOf(value: MessageValue): string[] {
  return typeof value === 'string' ? [value] : value.flatMap((v) => Object.values(v.match));
}

/** The inputs a message takes: its placeholders and its declared inputs, minus locals. */
export function inputsOf(value: MessageValue): string[] {
  const names = new Set<string>();
  const locals = new Set<string>();
  if (typeof value !== 'string') {
    for (const part of value) {
      for (const declaration of part.declarations ?? []) {
        const input = /^input\s+(\w+)/.exec(declaration);
        if (input?.[1]) names.add(input[1]);
        const local = /^local\s+(\w+)\s*=/.exec(declaration);
        if (local?.[1]) locals.add(local[1]);
      }
    }
  }
  for (const text of textsOf(value)) {
    for (const match of text.matchAll(/(?<!\\)\{(\w+)\}/g)) {
      if (match[1] && !locals.has(match[1])) names.add(match[1]);
    }
  }
  return [...names].sort();
}
