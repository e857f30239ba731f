import { afterEach, describe, expect, it, vi } from 'vitest';
import { signIn, signUp } from './account-client';
import { failureMessage } from './account-messages';

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify(body), { status, headers })),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('account client failures', () => {
  it("an account's sign-in pause is told apart from the per-address limit, with its minutes", async () => {
    answer(
      429,
      { error: { code: 'account_sign_in_paused', message: 'Too many…' } },
      { 'retry-after': '121' },
    );
    expect(await signIn('maker@example.org', 'x')).toEqual({
      ok: false,
      failure: 'account_paused',
      retryMinutes: 3,
    });
    answer(429, { code: 'TOO_MANY_REQUESTS' }, { 'x-retry-after': '60' });
    expect(await signIn('maker@example.org', 'x')).toEqual({
      ok: false,
      failure: 'rate_limited',
    });
  });

  it('a common password is its own failure', async () => {
    answer(400, { code: 'PASSWORD_TOO_COMMON', message: 'This password is one of…' });
    expect(await signUp({ name: 'N', email: 'n@example.org', password: 'wachtwoord1' })).toEqual({
      ok: false,
      failure: 'password_common',
    });
  });

  it('an invitation link locked for sign-up is its own failure, with its own words', async () => {
    answer(409, { code: 'invitation_locked', message: 'This invitation link can no longer…' });
    const token = 'A'.repeat(43);
    expect(
      await signUp({
        name: 'N',
        email: 'n@example.org',
        password: 'x'.repeat(12),
        invitationToken: token,
      }),
    ).toEqual({ ok: false, failure: 'invitation_locked' });
    const words = failureMessage('invitation_locked');
    expect(words).not.toBe(failureMessage('unknown'));
    expect(words).not.toBe(failureMessage('email_taken'));
  });
});
