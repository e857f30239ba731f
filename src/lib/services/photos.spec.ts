import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPhotoFile, fitWithin, PHOTO_MAX_BYTES } from './photos';

describe('fitWithin (photo downscale size)', () => {
  it('scales the long side down to the maximum, keeping the aspect ratio', () => {
    expect(fitWithin(4032, 3024, 512)).toEqual({ width: 512, height: 384 });
    expect(fitWithin(3024, 4032, 512)).toEqual({ width: 384, height: 512 });
    expect(fitWithin(1000, 1000, 512)).toEqual({ width: 512, height: 512 });
  });

  it('never scales a small photo up', () => {
    expect(fitWithin(300, 200, 512)).toEqual({ width: 300, height: 200 });
    expect(fitWithin(512, 10, 512)).toEqual({ width: 512, height: 10 });
  });

  it('keeps a very thin panorama at least one pixel high', () => {
    expect(fitWithin(20000, 10, 512)).toEqual({ width: 512, height: 1 });
  });

  it('refuses sizes that are not positive', () => {
    expect(() => fitWithin(0, 10, 512)).toThrow(RangeError);
    expect(() => fitWithin(10, -1, 512)).toThrow(RangeError);
    expect(() => fitWithin(10, 10, 0)).toThrow(RangeError);
  });

  it('for any size: within the box, whole pixels, aspect kept within rounding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20000 }),
        fc.integer({ min: 1, max: 20000 }),
        fc.integer({ min: 16, max: 2048 }),
        (w, h, max) => {
          const out = fitWithin(w, h, max);
          expect(Number.isInteger(out.width) && Number.isInteger(out.height)).toBe(true);
          expect(out.width).toBeGreaterThanOrEqual(1);
          expect(out.height).toBeGreaterThanOrEqual(1);
          expect(Math.max(out.width, out.height)).toBeLessThanOrEqual(Math.max(max, 1));
          expect(out.width).toBeLessThanOrEqual(w);
          expect(out.height).toBeLessThanOrEqual(h);
          // The long side is used fully when the photo was larger than the box.
          if (Math.max(w, h) > max) expect(Math.max(out.width, out.height)).toBe(max);
          // Aspect ratio kept: rounding moves each side by at most half a pixel.
          const scale = out.width >= out.height ? out.width / w : out.height / h;
          expect(Math.abs(out.width - w * scale)).toBeLessThanOrEqual(1);
          expect(Math.abs(out.height - h * scale)).toBeLessThanOrEqual(1);
        },
      ),
      { seed: 20261128, numRuns: 500 },
    );
  });
});

describe('checkPhotoFile', () => {
  it('accepts a photo up to 10 MB', () => {
    expect(checkPhotoFile({ type: 'image/jpeg', size: 3_000_000 })).toBeNull();
    expect(checkPhotoFile({ type: 'image/png', size: PHOTO_MAX_BYTES })).toBeNull();
  });

  it('refuses a file that is not an image, whatever its size (the 5 MB non-image case)', () => {
    expect(checkPhotoFile({ type: 'application/pdf', size: 5 * 1024 * 1024 })).toBe('not-image');
    expect(checkPhotoFile({ type: '', size: 5 * 1024 * 1024 })).toBe('not-image');
    expect(checkPhotoFile({ type: 'video/mp4', size: 100 })).toBe('not-image');
  });

  it('refuses an image over 10 MB', () => {
    expect(checkPhotoFile({ type: 'image/jpeg', size: PHOTO_MAX_BYTES + 1 })).toBe('too-large');
  });
});
