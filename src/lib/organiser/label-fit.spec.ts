import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitLabel } from './label-fit';

const estimate = (line: string, size: number) => [...line].length * 0.6 * size;

describe('fitting a landmark name into its box', () => {
  it('a short name keeps the full size on one line', () => {
    expect(fitLabel('WC', { width: 48, height: 48 }, 14)).toEqual({ lines: ['WC'], fontSize: 14 });
  });

  it('"Stroompunt" and "Ingang" in one cell are shown whole, smaller, never cut', () => {
    for (const name of ['Stroompunt', 'Ingang', 'Informatie', 'إسعافات أولية']) {
      const fit = fitLabel(name, { width: 40, height: 40 }, 14);
      expect(fit.lines.join(' ')).toBe(name);
      for (const line of fit.lines) expect(estimate(line, fit.fontSize)).toBeLessThanOrEqual(40);
    }
  });

  it('several words wrap onto lines before the letters shrink', () => {
    const fit = fitLabel('Ingang Noord', { width: 48, height: 48 }, 12);
    expect(fit.lines).toEqual(['Ingang', 'Noord']);
    expect(fit.fontSize).toBeGreaterThan(10);
  });

  it('any name fits its box: width and height (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        (text, w, h) => {
          const box = { width: w * 40, height: h * 40 };
          const fit = fitLabel(text, box, 14);
          expect(fit.lines.join(' ').replace(/\s+/g, ' ')).toBe(text.trim().replace(/\s+/g, ' '));
          for (const line of fit.lines) {
            expect(estimate(line, fit.fontSize)).toBeLessThanOrEqual(box.width + 1e-9);
          }
          expect(fit.lines.length * fit.fontSize * 1.15).toBeLessThanOrEqual(box.height + 1e-9);
        },
      ),
      { seed: 99, numRuns: 300 },
    );
  });
});
