import { describe, expect, it } from 'vitest';
import { messagesNeededFirst } from './first-load';

describe('the messages a screen needs before its first render', () => {
  it("is the till's part on the till and the home page", () => {
    expect(messagesNeededFirst('/till')).toBe('first');
    expect(messagesNeededFirst('/')).toBe('first');
  });
  it('is every message on any other screen', () => {
    for (const path of ['/products', '/sales', '/tilltime', '/organise', '/settings', '/r']) {
      expect(messagesNeededFirst(path), path).toBe('all');
    }
  });
});
