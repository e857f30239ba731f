/**
 * Lists in running text, joined the way the language joins them (Intl.ListFormat): "A1 en
 * A2" in Dutch, "A1 وA2" in Arabic. A Latin ", " in right-to-left text reads as a stray
 * mark, so no screen joins a list of words by hand.
 *
 * - `and`: things that all hold ("stroom en tafel", stall labels, missing fields).
 * - `parts`: the parts of one description, such as an accessible name ("Kraam A1, 2 bij 1,
 *   stroom"), where an "and" before the last part would read oddly in most languages.
 */
export type ListKind = 'and' | 'parts';

const formats = new Map<string, Intl.ListFormat>();

export function formatList(
  items: readonly string[],
  locale: string,
  kind: ListKind = 'and',
): string {
  const cacheKey = `${locale}|${kind}`;
  let format = formats.get(cacheKey);
  if (!format) {
    format = new Intl.ListFormat(
      locale,
      kind === 'and' ? { type: 'conjunction', style: 'long' } : { type: 'unit', style: 'short' },
    );
    formats.set(cacheKey, format);
  }
  return format.format(items);
}
