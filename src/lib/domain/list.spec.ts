import { describe, expect, it } from 'vitest';
import { formatList } from './list';

describe('formatList', () => {
  it('joins with the language\'s own word and comma, not a Latin ", " in Arabic', () => {
    expect(formatList(['A1', 'A2', 'B3'], 'nl')).toBe('A1, A2 en B3');
    expect(formatList(['A1', 'A2'], 'en')).toBe('A1 and A2');
    const arabic = formatList(['كهرباء', 'طاولة', 'سلامة الغذاء'], 'ar');
    expect(arabic).toBe('كهرباء وطاولة وسلامة الغذاء');
    expect(arabic).not.toContain(', ');
  });

  it("keeps the parts of one description apart with the language's comma", () => {
    expect(formatList(['Kraam A1', '2 bij 1', 'stroom'], 'nl', 'parts')).toBe(
      'Kraam A1, 2 bij 1, stroom',
    );
    expect(formatList(['كشك A1', '2 في 1'], 'ar', 'parts')).not.toContain(', ');
  });

  it('leaves one item as it is and an empty list empty', () => {
    expect(formatList(['A1'], 'ar')).toBe('A1');
    expect(formatList([], 'nl')).toBe('');
  });
});
