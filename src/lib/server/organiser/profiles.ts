// Makers' profiles: a maker reads and edits only their own (the maker id comes from their
// session, never from the request); organisers read their makers' profiles; the public
// directory reads only `publicProfile(...)` of listed ones (public.ts).
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import {
  emptyContact,
  validateProfile,
  type ProfileErrorCode,
} from '$lib/domain/organiser/maker-profile';
import type { Db, Tx } from '$lib/server/db';
import { makerPhotos, makerProfiles, memberships, user, makers } from '$lib/server/db/schema';
import { domainError, fieldIssues } from './errors';

/** How a maker who deleted their account is named on the organiser's screens and exports. */
export const DELETED_MAKER_NAME = 'verwijderde maker';
import type { MakerProfile as ContractMakerProfile, ProfileBody } from '$lib/organiser/contract';

/** A saved profile with its public address (the contract's MakerProfile). */
export type StoredProfile = ContractMakerProfile;

type ProfileRow = typeof makerProfiles.$inferSelect;

export function toProfile(row: ProfileRow): StoredProfile {
  return {
    makerId: row.makerId,
    displayName: row.displayName,
    craft: row.craft,
    story: row.story,
    languages: [...row.languages],
    photoIds: [...row.photoIds],
    contact: { ...emptyContact(), ...row.contact },
    listed: row.listed,
    needs: { ...row.needs },
    slug: row.slug,
    publicUrl: row.listed ? `/m/${row.slug}` : null,
  };
}

export async function loadProfiles(
  db: Db | Tx,
  makerIds: readonly string[],
): Promise<Map<string, StoredProfile>> {
  if (makerIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(makerProfiles)
    .where(inArray(makerProfiles.makerId, [...makerIds]));
  return new Map(rows.map((row) => [row.makerId, toProfile(row)]));
}

/** A maker's own profile; before they saved one, an empty one under their account name. */
export async function ownProfile(db: Db, makerId: string): Promise<StoredProfile> {
  const found = (await loadProfiles(db, [makerId])).get(makerId);
  if (found) return found;
  const names = await makerNames(db, [makerId]);
  return {
    makerId,
    displayName: names.get(makerId) ?? '',
    craft: '',
    story: '',
    languages: [],
    photoIds: [],
    contact: emptyContact(),
    listed: false,
    needs: { power: false, table: false, foodHygiene: false, notes: '' },
    slug: '',
    publicUrl: null,
  };
}

const PROFILE_WORDS: Record<ProfileErrorCode | 'unknown-photo', string> = {
  required: 'is required',
  'too-long': 'is too long',
  'unknown-language': 'has a language code that is not ISO 639-1 (or prs, ckb, kmr, zgh)',
  'too-many-languages': 'has more than 10 languages',
  'too-many-photos': 'has more than 6 photos',
  'invalid-phone': 'is not a phone number (8-15 digits)',
  'invalid-email': 'is not an e-mail address',
  'invalid-url': 'is not an http(s) web address',
  'invalid-instagram': 'is not an Instagram name',
  'unknown-photo': 'names a photo that is not one of your uploads',
};

function profileInvalid(errors: Readonly<Partial<Record<string, string>>>) {
  const issues = fieldIssues(
    errors,
    (field, code) => `${field} ${PROFILE_WORDS[code as ProfileErrorCode] ?? code}.`,
  );
  return domainError(
    422,
    'profile_invalid',
    `The profile was not saved: ${issues.map((i) => i.message).join(' ')}`,
    issues,
  );
}

/** Lower-case ASCII words of a name, for the public address ("Amal's Bakery" -> amal-s-bakery). */
export function slugBase(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  // Names in Arabic script (and others) have no Latin letters: a neutral word then.
  return ascii || 'maker';
}

function randomSuffix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return [...bytes].map((b) => (b % 36).toString(36)).join('');
}

export async function saveOwnProfile(
  db: Db,
  makerId: string,
  body: ProfileBody,
): Promise<StoredProfile> {
  const result = validateProfile({ makerId, ...body });
  if (!result.ok) throw profileInvalid(result.errors);
  const profile = result.value;
  return db.transaction(async (tx) => {
    if (profile.photoIds.length > 0) {
      const owned = await tx
        .select({ id: makerPhotos.id, makerId: makerPhotos.makerId })
        .from(makerPhotos)
        .where(inArray(makerPhotos.id, profile.photoIds));
      const mine = new Set(owned.filter((p) => p.makerId === makerId).map((p) => p.id));
      if (profile.photoIds.some((id) => !mine.has(id))) {
        throw profileInvalid({ photoIds: 'unknown-photo' });
      }
    }
    const values = {
      displayName: profile.displayName,
      craft: profile.craft,
      story: profile.story,
      languages: profile.languages,
      photoIds: profile.photoIds,
      contact: profile.contact,
      listed: profile.listed,
      needs: profile.needs,
      updatedAt: new Date(),
    };
    // The slug is made once, from the first name given, and then kept: a printed stall
    // card's QR code must keep working after a rename.
    const [row] = await tx
      .insert(makerProfiles)
      .values({ makerId, slug: `${slugBase(profile.displayName)}-${randomSuffix()}`, ...values })
      .onConflictDoUpdate({ target: makerProfiles.makerId, set: values })
      .returning();
    if (!row) throw new Error('saving the profile returned no row');
    return toProfile(row);
  });
}

/**
 * Names to show organisers for makers: the profile's display name, else the account's name.
 * (Never an e-mail address.)
 */
export async function makerNames(
  db: Db | Tx,
  makerIds: readonly string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (makerIds.length === 0) return names;
  const ids = [...new Set(makerIds)];
  const byMembership = await db
    .select({ makerId: memberships.makerId, name: user.name })
    .from(memberships)
    .innerJoin(user, eq(user.id, memberships.userId))
    .where(and(inArray(memberships.makerId, ids), eq(memberships.role, 'maker')));
  for (const row of byMembership) if (row.makerId) names.set(row.makerId, row.name);
  const byOwner = await db
    .select({ makerId: makers.id, name: user.name })
    .from(makers)
    .innerJoin(user, eq(user.id, makers.ownerUserId))
    .where(inArray(makers.id, ids));
  for (const row of byOwner) names.set(row.makerId, row.name);
  for (const profile of (await loadProfiles(db, ids)).values()) {
    names.set(profile.makerId, profile.displayName);
  }
  // A maker who deleted their account: their books stay, under no name (docs/my-data.md).
  const deleted = await db
    .select({ id: makers.id })
    .from(makers)
    .where(and(inArray(makers.id, ids), isNotNull(makers.deletedAt)));
  for (const row of deleted) names.set(row.id, DELETED_MAKER_NAME);
  return names;
}
