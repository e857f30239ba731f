// Small English helpers for the API's error messages (developer-facing English; the screens
// translate by error code).

/** "a maker", "an organiser", "a helper". */
export function withArticle(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}
