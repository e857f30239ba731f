import { describe, expect, it } from 'vitest';
import { isSafeText } from './text';

describe('isSafeText', () => {
  it('accepts ordinary text in every script, emoji (surrogate pairs) and empty text', () => {
    for (const text of ['', 'Brood & banket', 'خبز', 'Ünïcødé', '🥖 stall 😀', 'a\tb\nc']) {
      expect(isSafeText(text), text).toBe(true);
    }
  });

  it('refuses NUL anywhere and every unpaired surrogate', () => {
    for (const text of [
      '\u0000',
      'a\u0000',
      '\u0000b',
      '\uD800',
      'a\uD83D',
      '\uDE00b',
      '\uDE00\uD83D',
      '🥖\uDBFF',
    ]) {
      expect(isSafeText(text), JSON.stringify(text)).toBe(false);
    }
  });
});
