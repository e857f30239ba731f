/**
 * A till of identical tiles is hard to read, so a new product gets the first colour of the
 * palette that no product uses yet; once every colour is taken, the least used one (ties in
 * palette order), so colours stay spread as the catalogue grows.
 */
export function nextColour<C extends string>(palette: readonly C[], used: Iterable<C>): C {
  const first = palette[0];
  if (first === undefined) throw new RangeError('nextColour: the palette is empty');
  const uses = new Map<C, number>(palette.map((c) => [c, 0]));
  for (const colour of used) {
    const count = uses.get(colour);
    if (count !== undefined) uses.set(colour, count + 1);
  }
  let best = first;
  for (const colour of palette) if ((uses.get(colour) ?? 0) < (uses.get(best) ?? 0)) best = colour;
  return best;
}
