/**
 * Fitting a name into a box on a plan (a 1x1 landmark is one cell wide): wrap at spaces
 * first, then shrink the letters, so "Stroompunt" or "Ingang Noord" is shown
 * whole instead of cut at both edges. Widths are estimated (an average letter is about
 * 0.6 of the font size wide in the app's sans-serif), which is enough to choose lines and
 * a size; the box keeps a little padding.
 */
export interface FittedLabel {
  lines: string[];
  /** In the same unit as the box (SVG user units or CSS pixels). */
  fontSize: number;
}

const CHAR_WIDTH = 0.6;
const LINE_HEIGHT = 1.15;

function width(text: string, fontSize: number): number {
  return [...text].length * CHAR_WIDTH * fontSize;
}

/** Greedy lines of words no wider than `max` (a word wider than that gets a line alone). */
function wrap(text: string, fontSize: number, max: number): string[] {
  const words = text.split(' ');
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.at(-1);
    const joined = last === undefined ? word : `${last} ${word}`;
    if (last !== undefined && width(joined, fontSize) <= max) lines[lines.length - 1] = joined;
    else lines.push(word);
  }
  return lines;
}

/**
 * The largest font size from `maxFont` down at which `text` fits `box` in at most
 * `maxLines` lines; when even one word is too wide, the size that makes it fit exactly.
 */
export function fitLabel(
  text: string,
  box: { width: number; height: number },
  maxFont: number,
  maxLines = 3,
): FittedLabel {
  const clean = text.trim().replace(/\s+/g, ' ');
  if (clean === '') return { lines: [], fontSize: maxFont };
  const innerWidth = Math.max(1, box.width * 0.9);
  const innerHeight = Math.max(1, box.height * 0.9);
  for (let size = maxFont; size >= maxFont / 2; size -= maxFont / 20) {
    const lines = wrap(clean, size, innerWidth);
    const fits =
      lines.length <= maxLines &&
      lines.every((line) => width(line, size) <= innerWidth) &&
      lines.length * size * LINE_HEIGHT <= innerHeight;
    if (fits) return { lines, fontSize: size };
  }
  // Too long for half the size: the words as few lines as the height allows, shrunk to fit.
  const lineCount = Math.max(
    1,
    Math.min(maxLines, Math.floor(innerHeight / (maxFont / 2) / LINE_HEIGHT)),
  );
  const lines = balance(clean, lineCount);
  const widest = Math.max(...lines.map((line) => [...line].length));
  const fontSize = Math.min(
    innerWidth / (widest * CHAR_WIDTH),
    innerHeight / (lines.length * LINE_HEIGHT),
    maxFont,
  );
  return { lines, fontSize };
}

/** The words in at most `count` lines of about equal length. */
function balance(text: string, count: number): string[] {
  const words = text.split(' ');
  if (count <= 1 || words.length === 1) return [text];
  const target = [...text].length / Math.min(count, words.length);
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.at(-1);
    if (last !== undefined && ([...last].length < target || lines.length >= count)) {
      lines[lines.length - 1] = `${last} ${word}`;
    } else lines.push(word);
  }
  return lines;
}
