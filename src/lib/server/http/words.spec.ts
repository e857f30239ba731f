import { describe, expect, it } from 'vitest';
import { withArticle } from './words';

describe('withArticle', () => {
  it('says "an" before a vowel and "a" before a consonant', () => {
    expect(withArticle('organiser')).toBe('an organiser');
    expect(withArticle('maker')).toBe('a maker');
    expect(withArticle('helper')).toBe('a helper');
  });
});
