import { describe, expect, it } from 'vitest';
import { knownAccountOf } from './account.svelte';

const MAKER = '01900000-0000-7000-8000-000000000009';

describe('knownAccountOf: what the device remembers of /api/me', () => {
  it('every role once, the organisation one organises, the maker id one sells for', () => {
    expect(
      knownAccountOf({
        user: { name: 'Amal' },
        memberships: [
          { role: 'maker', organisationName: 'Bazaar Oost', makerId: null },
          { role: 'organiser', organisationName: 'Bazaar West', makerId: null },
          { role: 'maker', organisationName: 'Bazaar Noord', makerId: MAKER },
        ],
      }),
    ).toEqual({
      name: 'Amal',
      roles: ['maker', 'organiser'],
      organisationName: 'Bazaar West',
      makerId: MAKER,
    });
  });

  it('an account without an organisation has no roles (the welcome screen is its way in)', () => {
    expect(knownAccountOf({ user: { name: 'X' }, memberships: [] })).toEqual({
      name: 'X',
      roles: [],
      organisationName: null,
      makerId: null,
    });
  });
});
