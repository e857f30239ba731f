import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONTACT_CHANNELS,
  contactHref,
  emptyContact,
  KNOWN_LANGUAGES,
  normaliseInstagram,
  normalisePhone,
  normaliseWebsite,
  publicProfile,
  validateProfile,
  type MakerProfile,
} from './maker-profile';

const SEED = { seed: 6060, numRuns: 400 };

function profile(overrides: Partial<MakerProfile> = {}): MakerProfile {
  return {
    makerId: 'v1',
    displayName: 'Bakkerij Amal',
    craft: 'Baker',
    story: 'Syrian pastries, Dutch bread.',
    languages: ['ar', 'nl'],
    photoIds: ['p1'],
    contact: {
      phone: { value: '06 1234 5678', public: false },
      email: { value: 'amal@example.nl', public: true },
      website: { value: '', public: false },
      instagram: { value: '@bakkerij.amal', public: true },
    },
    listed: true,
    needs: { power: true, table: true, foodHygiene: true, notes: 'Oven needs 16A' },
    ...overrides,
  };
}

describe('validateProfile', () => {
  it('[P1] accepts and normalises a complete profile', () => {
    const result = validateProfile(profile({ languages: ['AR', 'nl', 'ar', ' ti '] }));
    expect(result).toEqual({
      ok: true,
      value: profile({
        languages: ['ar', 'nl', 'ti'],
        contact: {
          phone: { value: '0612345678', public: false },
          email: { value: 'amal@example.nl', public: true },
          website: { value: '', public: false },
          instagram: { value: 'bakkerij.amal', public: true },
        },
      }),
    });
  });

  it('[P1] only the display name is required; an empty detail is stored switched off', () => {
    const result = validateProfile({
      ...profile(),
      craft: '',
      story: '',
      languages: [],
      photoIds: [],
      contact: { ...emptyContact(), phone: { value: ' ', public: true } },
    });
    expect(result.ok && result.value.contact.phone).toEqual({ value: '', public: false });
    expect(validateProfile(profile({ displayName: '  ' }))).toEqual({
      ok: false,
      errors: { displayName: 'required' },
    });
  });

  it('[P1] reports each bad field as a code', () => {
    expect(
      validateProfile(
        profile({
          craft: 'c'.repeat(61),
          story: 's'.repeat(601),
          languages: ['xx'],
          photoIds: ['1', '2', '3', '4', '5', '6', '7'],
          contact: {
            phone: { value: '12', public: true },
            email: { value: 'amal@localhost', public: true },
            website: { value: 'javascript:alert(1)', public: true },
            instagram: { value: '@no..dots', public: true },
          },
          needs: { power: false, table: false, foodHygiene: false, notes: 'n'.repeat(301) },
        }),
      ),
    ).toEqual({
      ok: false,
      errors: {
        craft: 'too-long',
        story: 'too-long',
        languages: 'unknown-language',
        photoIds: 'too-many-photos',
        phone: 'invalid-phone',
        email: 'invalid-email',
        website: 'invalid-url',
        instagram: 'invalid-instagram',
        needsNotes: 'too-long',
      },
    });
    const eleven = [...KNOWN_LANGUAGES].slice(0, 11);
    expect(validateProfile(profile({ languages: eleven }))).toEqual({
      ok: false,
      errors: { languages: 'too-many-languages' },
    });
  });

  it('[P2] knows the languages makers speak, and Intl can name them', () => {
    for (const code of ['ar', 'nl', 'ti', 'am', 'fa', 'prs', 'tr', 'ckb', 'so', 'en']) {
      expect(KNOWN_LANGUAGES.has(code)).toBe(true);
    }
    expect(KNOWN_LANGUAGES.has('xx')).toBe(false);
    const names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
    expect(names.of('ti')).toBe('Tigrinya');
    expect(names.of('prs')).toBeTruthy();
  });

  it.each([
    ['06-12345678', '0612345678'],
    ['+31 6 1234 5678', '+31612345678'],
    ['0031 (0)70 123 4567', '+31701234567'],
    ['(070) 123 4567', '0701234567'],
    ['070 123 45 67', '0701234567'],
  ])('[P3] phone %j becomes %j', (raw, value) => {
    expect(normalisePhone(raw)).toBe(value);
  });

  it.each(['1234567', '+1234567890123456', '06 12a45678', '++31612345678', 'call me'])(
    '[P3] phone %j is refused',
    (raw) => {
      expect(normalisePhone(raw)).toBeNull();
    },
  );

  it.each([
    ['example.nl', 'https://example.nl/'],
    ['http://bakkerij-amal.nl/menu', 'http://bakkerij-amal.nl/menu'],
    ['https://www.example.nl:8443/a?b=c', 'https://www.example.nl:8443/a?b=c'],
    ['example.nl:8080/shop', 'https://example.nl:8080/shop'],
  ])('[P3] website %j becomes %j', (raw, value) => {
    expect(normaliseWebsite(raw)).toBe(value);
  });

  it.each([
    'javascript:alert(1)',
    'data:text/html,hi',
    'ftp://example.nl',
    'https://user:pw@example.nl',
    'localhost',
    'https://exa mple.nl',
    `https://example.nl/${'x'.repeat(200)}`,
  ])('[P3] website %j is refused', (raw) => {
    expect(normaliseWebsite(raw)).toBeNull();
  });

  it.each([
    ['@bakkerij_amal', 'bakkerij_amal'],
    ['https://www.instagram.com/bakkerij.amal/', 'bakkerij.amal'],
    ['instagram.com/amal?hl=nl', 'amal'],
  ])('[P3] instagram %j becomes %j', (raw, value) => {
    expect(normaliseInstagram(raw)).toBe(value);
  });

  it.each(['.amal', 'amal.', 'a..b', 'has space', 'x'.repeat(31), 'https://evil.com/amal'])(
    '[P3] instagram %j is refused',
    (raw) => {
      expect(normaliseInstagram(raw)).toBeNull();
    },
  );
});

describe('publicProfile', () => {
  it('[P4] nothing at all unless the maker opted in to the directory', () => {
    expect(publicProfile(profile({ listed: false }))).toBeNull();
  });

  it('[P4] only the contact details switched on; never stall needs', () => {
    // No makerId: public answers carry public ids only (issue 7).
    expect(publicProfile(profile())).toEqual({
      displayName: 'Bakkerij Amal',
      craft: 'Baker',
      story: 'Syrian pastries, Dutch bread.',
      languages: ['ar', 'nl'],
      photoIds: ['p1'],
      contact: { email: 'amal@example.nl', instagram: '@bakkerij.amal' },
    });
  });

  it('[P5] for any profile, no private value appears anywhere in the public JSON', () => {
    // Private values carry a marker ('§' and the field's name) that no public text and no
    // other field can contain, so a hit can only be a leak, never a coincidence.
    const publicText = fc.string({ maxLength: 30 }).filter((s) => !s.includes('§'));
    const secret = (field: string) =>
      fc.string({ minLength: 1, maxLength: 20 }).map((s) => `${s}§${field}`);
    const detail = (field: string) => fc.record({ value: secret(field), public: fc.boolean() });
    const arbitraryProfile = fc.record({
      makerId: fc.constant('v1'),
      displayName: publicText,
      craft: publicText,
      story: publicText,
      languages: fc.array(fc.constantFrom('ar', 'nl', 'ti'), { maxLength: 3 }),
      photoIds: fc.array(fc.constantFrom('p1', 'p2'), { maxLength: 2 }),
      contact: fc.record({
        phone: detail('phone'),
        email: detail('email'),
        website: detail('website'),
        instagram: detail('instagram'),
      }),
      listed: fc.boolean(),
      needs: fc.record({
        power: fc.boolean(),
        table: fc.boolean(),
        foodHygiene: fc.boolean(),
        notes: secret('needs'),
      }),
    });
    fc.assert(
      fc.property(arbitraryProfile, (p: MakerProfile) => {
        const json = JSON.stringify(publicProfile(p));
        expect(json).not.toContain(JSON.stringify(p.needs.notes).slice(1, -1));
        for (const channel of CONTACT_CHANNELS) {
          const { value, public: shown } = p.contact[channel];
          const encoded = JSON.stringify(value).slice(1, -1);
          if (shown && p.listed) expect(json).toContain(encoded);
          else expect(json).not.toContain(encoded);
        }
        if (!p.listed) expect(json).toBe('null');
      }),
      SEED,
    );
  });

  it('[P6] contact links are built from checked values only', () => {
    expect(contactHref('phone', '+31612345678')).toBe('tel:+31612345678');
    // A Dutch number stored nationally still dials from a foreign phone: E.164.
    expect(contactHref('phone', '0612345678')).toBe('tel:+31612345678');
    expect(contactHref('email', 'amal@example.nl')).toBe('mailto:amal@example.nl');
    expect(contactHref('website', 'example.nl')).toBe('https://example.nl/');
    expect(contactHref('instagram', 'bakkerij.amal')).toBe(
      'https://www.instagram.com/bakkerij.amal/',
    );
    expect(contactHref('website', 'javascript:alert(1)')).toBeNull();
    expect(contactHref('email', 'not an email')).toBeNull();
  });
});
