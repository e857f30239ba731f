import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS, isCommonPassword } from './common-passwords';

describe('isCommonPassword', () => {
  it('ships a list of several hundred, Dutch ones included', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThan(500);
    for (const password of ['123456789', 'password', 'qwertyuiop', 'wachtwoord', 'welkom01']) {
      expect(isCommonPassword(password), password).toBe(true);
    }
  });

  it('ignores case, surrounding spaces and full-width look-alikes', () => {
    expect(isCommonPassword('Wachtwoord123')).toBe(true);
    expect(isCommonPassword('  PASSWORD1 ')).toBe(true);
    expect(isCommonPassword('ｐａｓｓｗｏｒｄ')).toBe(true);
  });

  it('lets an uncommon password through, and never matches the comment lines', () => {
    expect(isCommonPassword('correct horse battery')).toBe(false);
    expect(isCommonPassword('')).toBe(false);
    expect([...COMMON_PASSWORDS].some((p) => p.startsWith('#'))).toBe(false);
  });
});
