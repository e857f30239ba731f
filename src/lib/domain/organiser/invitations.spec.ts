import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acceptInvitation,
  DAY_MS,
  DEFAULT_INVITATION_DAYS,
  invitationDaysLeft,
  invitationExpiry,
  invitationState,
  revokeInvitation,
  type InvitationTimes,
} from './invitations';

const SEED = { seed: 1414, numRuns: 500 };
const CREATED = Date.UTC(2026, 2, 1, 10, 0);
const EXPIRES = CREATED + 14 * DAY_MS;

describe('invitationState', () => {
  it('[I1] valid before expiresAt, expired at the instant itself', () => {
    const inv = { expiresAt: EXPIRES, usedAt: null };
    expect(invitationState(inv, EXPIRES - 1)).toBe('valid');
    expect(invitationState(inv, EXPIRES)).toBe('expired');
  });

  it('[I2] used beats revoked beats expired', () => {
    expect(
      invitationState({ expiresAt: EXPIRES, usedAt: CREATED, revokedAt: CREATED }, EXPIRES + 1),
    ).toBe('used');
    expect(
      invitationState({ expiresAt: EXPIRES, usedAt: null, revokedAt: CREATED }, EXPIRES + 1),
    ).toBe('revoked');
    expect(
      invitationState({ expiresAt: EXPIRES, usedAt: null, revokedAt: null }, EXPIRES + 1),
    ).toBe('expired');
  });

  it('[I1] accepts Date values as the server stores them', () => {
    const inv = { expiresAt: new Date(EXPIRES), usedAt: null, revokedAt: null };
    expect(invitationState(inv, new Date(EXPIRES - 1))).toBe('valid');
    expect(invitationState(inv, new Date(EXPIRES))).toBe('expired');
  });
});

describe('accepting and revoking', () => {
  it('[I3] accepting a valid invitation returns the usedAt to store; a second accept fails', () => {
    const inv: InvitationTimes = { expiresAt: EXPIRES, usedAt: null };
    const first = acceptInvitation(inv, CREATED + DAY_MS);
    expect(first).toEqual({ ok: true, usedAt: CREATED + DAY_MS });
    const stored = { ...inv, usedAt: first.ok ? first.usedAt : null };
    expect(acceptInvitation(stored, CREATED + DAY_MS + 1)).toEqual({
      ok: false,
      error: 'invitation-used',
    });
  });

  it('[I3] an expired or revoked invitation cannot be accepted', () => {
    expect(acceptInvitation({ expiresAt: EXPIRES, usedAt: null }, EXPIRES)).toEqual({
      ok: false,
      error: 'invitation-expired',
    });
    expect(
      acceptInvitation({ expiresAt: EXPIRES, usedAt: null, revokedAt: CREATED }, CREATED + 1),
    ).toEqual({ ok: false, error: 'invitation-revoked' });
  });

  it('[I3] accepting succeeds exactly when the state is valid', () => {
    const moment = fc.option(fc.integer({ min: CREATED - DAY_MS, max: EXPIRES + DAY_MS }), {
      nil: null,
    });
    fc.assert(
      fc.property(
        fc.integer({ min: CREATED, max: EXPIRES + DAY_MS }),
        moment,
        moment,
        fc.integer({ min: CREATED - DAY_MS, max: EXPIRES + 2 * DAY_MS }),
        (expiresAt, usedAt, revokedAt, now) => {
          const inv = { expiresAt, usedAt, revokedAt };
          const state = invitationState(inv, now);
          const result = acceptInvitation(inv, now);
          expect(result.ok).toBe(state === 'valid');
          if (!result.ok) expect(result.error).toBe(`invitation-${state}`);
        },
      ),
      SEED,
    );
  });

  it('[I4] revoking: not once used, not twice; an expired one may be tidied away', () => {
    expect(revokeInvitation({ expiresAt: EXPIRES, usedAt: null }, CREATED)).toEqual({
      ok: true,
      revokedAt: CREATED,
    });
    expect(revokeInvitation({ expiresAt: EXPIRES, usedAt: null }, EXPIRES + 1)).toMatchObject({
      ok: true,
    });
    expect(revokeInvitation({ expiresAt: EXPIRES, usedAt: CREATED }, CREATED)).toEqual({
      ok: false,
      error: 'invitation-used',
    });
    expect(
      revokeInvitation({ expiresAt: EXPIRES, usedAt: null, revokedAt: CREATED }, CREATED),
    ).toEqual({ ok: false, error: 'invitation-revoked' });
  });
});

describe('expiry', () => {
  it('[I5] defaults to 14 days; 1..90 whole days may be chosen', () => {
    expect(DEFAULT_INVITATION_DAYS).toBe(14);
    expect(invitationExpiry(CREATED)).toBe(EXPIRES);
    expect(invitationExpiry(new Date(CREATED), 1)).toBe(CREATED + DAY_MS);
    expect(invitationExpiry(CREATED, 90)).toBe(CREATED + 90 * DAY_MS);
    expect(() => invitationExpiry(CREATED, 0)).toThrow(RangeError);
    expect(() => invitationExpiry(CREATED, 91)).toThrow(RangeError);
    expect(() => invitationExpiry(CREATED, 1.5)).toThrow(RangeError);
  });

  it('[I5] days left round up, and are 0 unless valid', () => {
    const inv = { expiresAt: EXPIRES, usedAt: null };
    expect(invitationDaysLeft(inv, CREATED)).toBe(14);
    expect(invitationDaysLeft(inv, EXPIRES - 1)).toBe(1);
    expect(invitationDaysLeft(inv, EXPIRES)).toBe(0);
    expect(invitationDaysLeft({ ...inv, usedAt: CREATED }, CREATED)).toBe(0);
  });
});
