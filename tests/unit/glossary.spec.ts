import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configuredLocales, messagesOf, textsOf } from './message-source';

/**
 * messages/glossary.json names one term per concept and language (till, maker, stall, sale,
 * organiser, sharing figures, void, the app's name, ...). These tests hold the messages to
 * it: the messages that name a concept use its term, and no message uses a synonym the
 * glossary lists to avoid (two names for one thing confuse a maker learning the app).
 */
interface Concept {
  id: string;
  keys: string;
  terms: Record<string, string>;
  forms?: Record<string, string[]>;
  avoid: Record<string, string[]>;
  /** A pattern of keys: the avoid list applies only to them (void shares a word with cancel). */
  avoidIn?: string;
}

const glossary = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../messages/glossary.json'), 'utf8'),
) as { concepts: Concept[] };

/** Lower case, without Arabic short vowels and shadda, so spellings with and without match. */
function normalise(text: string): string {
  return text.toLocaleLowerCase().replace(/[\u064B-\u065F\u0670]/g, '');
}

/** Latin words match at a word start ("maker" in "makers"); others anywhere. */
function contains(text: string, word: string): boolean {
  const w = normalise(word);
  if (/^[\p{Script=Latin}\s-]+$/u.test(w)) {
    const escaped = w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?<!\\p{L})${escaped}`, 'u').test(normalise(text));
  }
  return normalise(text).includes(w);
}

describe('glossary: one term per concept', () => {
  it('names the main concepts, with a term for Dutch, English and Arabic', () => {
    const ids = glossary.concepts.map((c) => c.id);
    for (const id of [
      'till',
      'maker',
      'stall',
      'sale',
      'organiser',
      'sharing_figures',
      'void',
      'app_name',
    ]) {
      expect(ids, id).toContain(id);
      const concept = glossary.concepts.find((c) => c.id === id);
      for (const locale of ['nl', 'en', 'ar'])
        expect(concept?.terms[locale], `${id} ${locale}`).toBeTruthy();
    }
    // Every configured language has a place in the glossary, to fill in when it is added.
    for (const concept of glossary.concepts) {
      for (const locale of configuredLocales)
        expect(concept.terms, concept.id).toHaveProperty(locale);
    }
  });

  for (const locale of configuredLocales) {
    it(`${locale}: the messages naming a concept use its term, and no message uses a synonym to avoid`, () => {
      const messages = messagesOf(locale);
      const problems: string[] = [];
      for (const concept of glossary.concepts) {
        const term = concept.terms[locale];
        if (!term) continue;
        const forms = concept.forms?.[locale] ?? [term];
        const keys = new RegExp(concept.keys);
        for (const [key, value] of messages) {
          // Placeholders are names of inputs, not words a person reads.
          const texts = textsOf(value).map((t) => t.replace(/\{\w+\}/g, ''));
          if (keys.test(key) && !texts.every((t) => forms.some((f) => contains(t, f)))) {
            problems.push(`${key} should say "${term}" (${concept.id}): ${texts.join(' | ')}`);
          }
          if (concept.avoidIn && !new RegExp(concept.avoidIn).test(key)) continue;
          for (const word of concept.avoid[locale] ?? []) {
            if (texts.some((t) => contains(t, word))) {
              problems.push(`${key} uses "${word}" instead of "${term}" (${concept.id})`);
            }
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
