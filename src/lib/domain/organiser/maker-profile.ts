/**
 * A maker's profile: what they make, their story, the languages they speak, photos, contact
 * details with a public switch per detail, and what they need at a stall.
 *
 * Privacy rules:
 * - The directory is opt-in: `publicProfile` gives null unless the maker chose to be listed.
 * - A contact detail appears publicly only when its own switch is on AND it has a value. A
 *   detail with an empty value is stored with its switch off.
 * - `publicProfile` builds the public shape field by field from an allow list; it never
 *   spreads the profile, so a field added to the profile later stays private until someone
 *   adds it here on purpose. Stall needs are for the organiser only, never public.
 *
 * Formats (validated and normalised by `validateProfile`):
 * - languages: ISO 639-1 codes, plus the ISO 639-3 codes of languages many makers speak
 *   that have no two-letter code (Dari prs, Sorani Kurdish ckb, Kurmanji kmr, Tamazight
 *   zgh); lower-cased, duplicates dropped, at most 10. The UI names them with
 *   Intl.DisplayNames.
 * - phone: digits with optional spaces, dashes, dots, parentheses, a leading + or 00;
 *   8..15 digits (E.164 allows 15). Stored compact: "+31612345678" or "0612345678"; the
 *   "(0)" in "+31 (0)70 ..." is dropped.
 * - email: one @, a dot in the domain, no spaces; up to 254 characters; lower-cased domain.
 * - website: http or https only (never javascript: or data:), with a dotted host and no
 *   user:password; "example.nl" becomes "https://example.nl/". Up to 200 characters.
 * - instagram: a handle of 1..30 letters, digits, "." or "_" (not starting or ending with a
 *   dot, no two dots in a row); "@name" and instagram.com/name links are reduced to "name".
 */
import { formatPhone, normalisePhone } from '../phone';
import type { Id } from '../types';
import { textLength } from './common';

export { normalisePhone };

export const MAX_DISPLAY_NAME_LENGTH = 60;
export const MAX_CRAFT_LENGTH = 60;
export const MAX_STORY_LENGTH = 600;
export const MAX_LANGUAGES = 10;
export const MAX_PHOTOS = 6;
export const MAX_EMAIL_LENGTH = 254;
export const MAX_WEBSITE_LENGTH = 200;
export const MAX_NEEDS_NOTES_LENGTH = 300;

/** ISO 639-1 (all two-letter codes) plus the few ISO 639-3 codes named above. */
export const KNOWN_LANGUAGES: ReadonlySet<string> = new Set([
  ...(
    'aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv ' +
    'cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho ' +
    'hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku ' +
    'kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn ' +
    'no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm ' +
    'sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi ' +
    'vo wa wo xh yi yo za zh zu'
  ).split(' '),
  'prs',
  'ckb',
  'kmr',
  'zgh',
]);

export const CONTACT_CHANNELS = ['phone', 'email', 'website', 'instagram'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export interface ContactDetail {
  value: string;
  /** The maker's consent to show this detail on their public page. */
  public: boolean;
}

/** What a maker needs at a stall; the organiser sees it when assigning stalls. */
export interface StallNeeds {
  power: boolean;
  table: boolean;
  /** The maker sells food, so the stall must meet food hygiene rules. */
  foodHygiene: boolean;
  notes: string;
}

export interface MakerProfile {
  makerId: Id;
  displayName: string;
  craft: string;
  story: string;
  languages: string[];
  photoIds: Id[];
  contact: Record<ContactChannel, ContactDetail>;
  /** Opted in to the public directory. */
  listed: boolean;
  needs: StallNeeds;
}

/**
 * What a visitor may see: only what the maker chose to show. No internal ids: the public
 * directory names a maker by their slug only (the server adds it).
 */
export interface PublicMakerProfile {
  displayName: string;
  craft: string;
  story: string;
  languages: string[];
  photoIds: Id[];
  contact: Partial<Record<ContactChannel, string>>;
}

export type ProfileField =
  'displayName' | 'craft' | 'story' | 'languages' | 'photoIds' | ContactChannel | 'needsNotes';

export type ProfileErrorCode =
  | 'required'
  | 'too-long'
  | 'unknown-language'
  | 'too-many-languages'
  | 'too-many-photos'
  | 'invalid-phone'
  | 'invalid-email'
  | 'invalid-url'
  | 'invalid-instagram';

export type ProfileValidation =
  | { ok: true; value: MakerProfile }
  | { ok: false; errors: Partial<Record<ProfileField, ProfileErrorCode>> };

export function emptyContact(): Record<ContactChannel, ContactDetail> {
  return {
    phone: { value: '', public: false },
    email: { value: '', public: false },
    website: { value: '', public: false },
    instagram: { value: '', public: false },
  };
}

/**
 * Checks and normalises a profile form (see the module comment for each format). Only the
 * display name is required. Every error is reported at once, as a code per field.
 */
export function validateProfile(input: MakerProfile): ProfileValidation {
  const errors: Partial<Record<ProfileField, ProfileErrorCode>> = {};
  const limit = (field: ProfileField, value: string, max: number, required = false): string => {
    const trimmed = value.trim();
    if (required && trimmed === '') errors[field] = 'required';
    else if (textLength(trimmed) > max) errors[field] = 'too-long';
    return trimmed;
  };

  const displayName = limit('displayName', input.displayName, MAX_DISPLAY_NAME_LENGTH, true);
  const craft = limit('craft', input.craft, MAX_CRAFT_LENGTH);
  const story = limit('story', input.story, MAX_STORY_LENGTH);
  const needsNotes = limit('needsNotes', input.needs.notes, MAX_NEEDS_NOTES_LENGTH);

  const languages = [...new Set(input.languages.map((code) => code.trim().toLowerCase()))];
  if (languages.some((code) => !KNOWN_LANGUAGES.has(code))) errors.languages = 'unknown-language';
  else if (languages.length > MAX_LANGUAGES) errors.languages = 'too-many-languages';

  const photoIds = [...new Set(input.photoIds)];
  if (photoIds.length > MAX_PHOTOS) errors.photoIds = 'too-many-photos';

  const contact = emptyContact();
  for (const channel of CONTACT_CHANNELS) {
    const raw = input.contact[channel].value.trim();
    if (raw === '') continue;
    const value = NORMALISE[channel](raw);
    if (value === null) errors[channel] = CONTACT_ERROR[channel];
    else contact[channel] = { value, public: input.contact[channel].public };
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      makerId: input.makerId,
      displayName,
      craft,
      story,
      languages,
      photoIds,
      contact,
      listed: input.listed,
      needs: {
        power: input.needs.power,
        table: input.needs.table,
        foodHygiene: input.needs.foodHygiene,
        notes: needsNotes,
      },
    },
  };
}

const CONTACT_ERROR: Record<ContactChannel, ProfileErrorCode> = {
  phone: 'invalid-phone',
  email: 'invalid-email',
  website: 'invalid-url',
  instagram: 'invalid-instagram',
};

const NORMALISE: Record<ContactChannel, (raw: string) => string | null> = {
  phone: normalisePhone,
  email: normaliseEmail,
  website: normaliseWebsite,
  instagram: normaliseInstagram,
};

export function normaliseEmail(raw: string): string | null {
  if (raw.length > MAX_EMAIL_LENGTH) return null;
  const match = /^([^\s@]+)@([^\s@.]+(?:\.[^\s@.]+)+)$/.exec(raw);
  if (!match) return null;
  return `${match[1]}@${(match[2] ?? '').toLowerCase()}`;
}

export function normaliseWebsite(raw: string): string | null {
  if (/\s/.test(raw)) return null;
  // A bare "example.nl" has no scheme; anything with a scheme other than http(s) is refused.
  const hasScheme = /^[a-z][a-z\d+.-]*:/i.test(raw) && !/^[^:/]+:\d+(\/|$)/.test(raw);
  const text = hasScheme ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username !== '' || url.password !== '') return null;
  if (!/^[^.]+(\.[^.]+)+$/.test(url.hostname)) return null;
  const href = url.href;
  return href.length > MAX_WEBSITE_LENGTH ? null : href;
}

export function normaliseInstagram(raw: string): string | null {
  const link = /^(?:https?:\/\/)?(?:www\.)?instagram\.com\/([^/?#]+)\/?(?:[?#].*)?$/i.exec(raw);
  const handle = link ? (link[1] ?? '') : raw.replace(/^@/, '');
  if (!/^[A-Za-z0-9._]{1,30}$/.test(handle)) return null;
  if (handle.startsWith('.') || handle.endsWith('.') || handle.includes('..')) return null;
  return handle;
}

/**
 * The profile as a visitor may see it: null unless the maker opted in to the directory; then
 * name, craft, story, languages, photos, and only the contact details switched to public.
 */
export function publicProfile(profile: MakerProfile): PublicMakerProfile | null {
  if (!profile.listed) return null;
  const contact: Partial<Record<ContactChannel, string>> = {};
  for (const channel of CONTACT_CHANNELS) {
    const detail = profile.contact[channel];
    if (detail.public && detail.value.trim() !== '') contact[channel] = detail.value;
  }
  return {
    displayName: profile.displayName,
    craft: profile.craft,
    story: profile.story,
    languages: [...profile.languages],
    photoIds: [...profile.photoIds],
    contact,
  };
}

/**
 * A link for a public contact detail (tel:, mailto:, the website, the Instagram page). The
 * value is checked again, so a stored value that never went through `validateProfile`
 * cannot become a javascript: link on a public page: null when it is not valid.
 */
export function contactHref(channel: ContactChannel, value: string): string | null {
  const normalised = NORMALISE[channel](value.trim());
  if (normalised === null) return null;
  switch (channel) {
    case 'phone':
      // E.164 where the country is known (a Dutch "06..." becomes "+316..."): it dials from
      // a foreign phone too.
      return `tel:${formatPhone(normalised)?.e164 ?? normalised}`;
    case 'email':
      return `mailto:${normalised}`;
    case 'website':
      return normalised;
    case 'instagram':
      return `https://www.instagram.com/${normalised}/`;
  }
}
