// The commonest passwords are refused on sign-up and on a password change: they are the
// first an attacker tries, whatever the per-account limit. The list ships with the app
// (common-passwords.txt: international and Dutch ones, and their usual variants).
import list from './common-passwords.txt?raw';

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  list
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#')),
);

/** Compared as written, ignoring case, surrounding spaces and Unicode look-alike forms. */
export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.normalize('NFKC').trim().toLowerCase());
}

export const PASSWORD_TOO_COMMON = {
  code: 'PASSWORD_TOO_COMMON',
  message:
    'This password is one of the most common ones and easy to guess: choose another ' +
    '(for example a few unrelated words).',
} as const;
