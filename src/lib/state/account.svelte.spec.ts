import { describe, expect, it } from 'vitest';
import { knownAccountOf } from './account.svelte';

const VENDOR = '01900000-0000-7000-8000-000000000009';

describe('knownAccountOf: what the device remembers of /api/me', () => {
  it('every role once, the organisation one organises, the vendor id one sells for', () => {
    expect(
      knownAccountOf({
        user: { name: 'Amal' },
        memberships: [
          { role: 'vendor', organisationName: 'Bazaar Oost', vendorId: null },
          { role: 'organiser', organisationName: 'Bazaar West', vendorId: null },
          { role: 'vendor', organisationName: 'Bazaar Noord', vendorId: VENDOR },
        ],
      }),
    ).toEqual({
      name: 'Amal',
      roles: ['vendor', 'organiser'],
      organisationName: 'Bazaar West',
      vendorId: VENDOR,
    });
  });

  it('an account without an organisation has no roles (the welcome screen is its way in)', () => {
    expect(knownAccountOf({ user: { name: 'X' }, memberships: [] })).toEqual({
      name: 'X',
      roles: [],
      organisationName: null,
      vendorId: null,
    });
  });
});
