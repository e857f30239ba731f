import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb, testDbKinds, type TestDb } from '$lib/server/db/testing';
import { memberships } from '$lib/server/db/schema';
import { addMember, createUser } from '$lib/server/sync/testing';
import { assign } from './assignments';
import { changeEventStatus } from './events';
import { listMakers } from './makers';
import { actingMakerId } from './makers-access';
import { addPhoto, deletePhoto, publicPhoto, sniffImageType } from './photos';
import { ownProfile, saveOwnProfile, slugBase } from './profiles';
import { publicEvent, publicMaker } from './public';
import type { ProfileBody } from '$lib/organiser/contract';
import {
  membershipOf,
  organisationWithMakers,
  publishedEvent,
  type TestOrganisation,
} from './testing';
import { issueCodes, refusal } from './spec-helpers';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const SVG = new TextEncoder().encode('<svg onload="alert(1)"></svg>');

function profile(overrides: Partial<ProfileBody> = {}): ProfileBody {
  return {
    displayName: 'Amal Haddad',
    craft: 'Baker',
    story: 'Syrian bread, Dutch techniques.',
    languages: ['ar', 'nl'],
    photoIds: [],
    contact: {
      phone: { value: '+31 6 1234 5678', public: false },
      email: { value: 'amal@example.org', public: true },
      website: { value: 'amal.example.org', public: false },
      instagram: { value: '@amal.bakes', public: true },
    },
    listed: true,
    needs: { power: true, table: true, foodHygiene: true, notes: 'secret-need-note' },
    ...overrides,
  };
}

describe.each(testDbKinds())('maker profiles and the public directory on %s', (kind) => {
  let t: TestDb;
  let org: TestOrganisation;

  beforeAll(async () => {
    t = await createTestDb(kind);
    org = await organisationWithMakers(t.db, 2);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const m = (i: number) => {
    const maker = org.makers[i];
    if (!maker) throw new Error(`no maker ${i}`);
    return maker;
  };

  it('[P1][P3] validates and normalises; an invalid profile is refused whole', async () => {
    const error = await refusal(
      saveOwnProfile(t.db, m(1).makerId, profile({ displayName: '', languages: ['xx'] })),
    );
    expect([error.status, error.code]).toEqual([422, 'profile_invalid']);
    expect(issueCodes(error)).toEqual(['required', 'unknown-language']);
    expect((await ownProfile(t.db, m(1).makerId)).slug).toBe('');
    const saved = await saveOwnProfile(t.db, m(0).makerId, profile());
    expect(saved.contact.phone.value).toBe('+31612345678');
    expect(saved.contact.instagram.value).toBe('amal.bakes');
    expect(saved.slug).toMatch(/^amal-haddad-[a-z0-9]{4}$/);
    expect(saved.publicUrl).toBe(`/m/${saved.slug}`);
    const renamed = await saveOwnProfile(t.db, m(0).makerId, profile({ displayName: 'Amal' }));
    expect(renamed.slug).toBe(saved.slug);
  });

  it('[P4][P5] the public page shows only switched-on contact details, never needs', async () => {
    const saved = await ownProfile(t.db, m(0).makerId);
    const page = await publicMaker(t.db, saved.slug);
    expect(page?.maker.contact).toEqual({ email: 'amal@example.org', instagram: 'amal.bakes' });
    const text = JSON.stringify(page);
    for (const secret of ['31612345678', 'amal.example.org', 'secret-need-note', 'foodHygiene']) {
      expect(text).not.toContain(secret);
    }
    await saveOwnProfile(t.db, m(0).makerId, profile({ listed: false }));
    expect(await publicMaker(t.db, saved.slug)).toBeNull();
    await saveOwnProfile(t.db, m(0).makerId, profile());
  });

  it("[authz] public answers carry the maker's slug, never their internal makerId", async () => {
    await saveOwnProfile(t.db, m(0).makerId, profile());
    const { slug } = await ownProfile(t.db, m(0).makerId);
    const { event, stalls } = await publishedEvent(t.db, org.organisationId, 1);
    await assign(t.db, org.organisationId, event.id, {
      stallId: stalls[0]?.id ?? '',
      makerId: m(0).makerId,
    });
    const maker = await publicMaker(t.db, slug);
    const page = await publicEvent(t.db, event.id);
    expect(maker?.maker.slug).toBe(slug);
    expect(page?.stalls[0]?.maker?.slug).toBe(slug);
    for (const answer of [maker, page]) {
      const text = JSON.stringify(answer);
      expect(text).not.toContain(m(0).makerId);
      expect(text).not.toContain('makerId');
      expect(text).not.toContain(org.organisationId);
    }
  });

  it('slugs are ASCII words, or "maker" for a name without Latin letters', () => {
    expect(slugBase('Zoë’s Atelier!')).toBe('zoe-s-atelier');
    expect(slugBase('أمل')).toBe('maker');
  });

  it('photos: only real images of the declared type; public only when listed and shown', async () => {
    expect(sniffImageType(PNG)).toBe('image/png');
    expect(sniffImageType(SVG)).toBeNull();
    const { photoId } = await addPhoto(t.db, m(0).makerId, { type: 'image/png', bytes: PNG });
    expect(await publicPhoto(t.db, photoId)).toBeNull();
    const foreign = await refusal(
      saveOwnProfile(t.db, m(1).makerId, profile({ photoIds: [photoId] })),
    );
    expect(issueCodes(foreign)).toEqual(['unknown-photo']);
    await saveOwnProfile(t.db, m(0).makerId, profile({ photoIds: [photoId] }));
    const shown = await publicPhoto(t.db, photoId);
    expect(shown?.mimeType).toBe('image/png');
    expect([...(shown?.bytes ?? [])]).toEqual([...PNG]);
    await deletePhoto(t.db, m(0).makerId, photoId);
    expect((await ownProfile(t.db, m(0).makerId)).photoIds).toEqual([]);
  });

  it('[EV6] a published event lists who is where; a draft is not public', async () => {
    const { event, stalls } = await publishedEvent(t.db, org.organisationId, 2);
    await assign(t.db, org.organisationId, event.id, {
      stallId: stalls[0]?.id ?? '',
      makerId: m(0).makerId,
    });
    await assign(t.db, org.organisationId, event.id, {
      stallId: stalls[1]?.id ?? '',
      makerId: m(1).makerId,
    });
    const page = await publicEvent(t.db, event.id);
    const slug = (await ownProfile(t.db, m(0).makerId)).slug;
    expect(page?.stalls.map((s) => [s.label, s.maker?.slug ?? null, s.taken])).toEqual([
      ['1', slug, true],
      // Maker 2 is not listed: their stall shows as taken, with no name.
      ['2', null, true],
    ]);
    expect(JSON.stringify(page)).not.toContain('Maker 2');
    expect((await publicMaker(t.db, slug))?.events.map((e) => e.id)).toContain(event.id);
    await changeEventStatus(t.db, org.organisationId, event.id, 'draft');
    expect(await publicEvent(t.db, event.id)).toBeNull();
    expect((await publicMaker(t.db, slug))?.events.map((e) => e.id)).not.toContain(event.id);
    expect(await publicEvent(t.db, 'not-a-uuid')).toBeNull();
  });

  it('organisers list every maker; one who never synced gets a server id to plan with', async () => {
    const userId = await createUser(t.db, 'Nieuwe Maker');
    await addMember(t.db, { userId, organisationId: org.organisationId, role: 'maker' });
    const makers = await listMakers(t.db, org.organisationId);
    const fresh = makers.find((x) => x.userId === userId);
    expect(fresh?.makerId).toMatch(/^[0-9a-f-]{36}$/);
    const [row] = await t.db.select().from(memberships).where(eq(memberships.userId, userId));
    expect(row?.makerId).toBe(fresh?.makerId);
    expect(await actingMakerId(t.db, await membershipOf(t.db, userId))).toBe(fresh?.makerId);
    const amal = makers.find((x) => x.makerId === m(0).makerId);
    expect(amal?.events.some((e) => e.hasStall)).toBe(true);
    expect(amal?.profile?.displayName).toBe('Amal Haddad');
  });
});
