// "Delete my account" (docs/my-data.md): in ONE transaction, the person and their profile
// go; the books the law keeps for 7 years (sales, lines, refunds, stock movements, product
// names as sold) stay under the maker's opaque id, no longer linked to a name or an e-mail
// address. An organiser's figures keep counting those sales; the maker shows as
// DELETED_MAKER_NAME. The last organiser of an organisation is refused: they hand over first.
import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import {
  applicationPhotos,
  invitations,
  makerApplications,
  makerPhotos,
  makerProfiles,
  memberships,
  organisations,
  productPhotos,
  products,
  signInAttempts,
  user,
  makers,
} from '$lib/server/db/schema';
import { ApiError, notFound } from '$lib/server/http';
import { accountKey } from '$lib/server/auth/sign-in-limit';

export { DELETED_MAKER_NAME } from '$lib/server/organiser/profiles';

export interface DeletedAccount {
  /** The maker profiles that are now anonymous (their books kept under these ids). */
  makerIds: string[];
  /** Helpers who sold for those makers and lost access. */
  helpersRemoved: number;
}

export async function deleteAccount(db: Db, userId: string): Promise<DeletedAccount> {
  return db.transaction(async (tx) => {
    const [person] = await tx
      .select({ id: user.id, email: user.email })
      .from(user)
      .where(eq(user.id, userId))
      .for('update');
    if (!person) throw notFound('There is no such account.');

    // The last organiser may not leave an organisation without one: hand over first. Locking
    // the organisations' organiser rows makes two organisers deleting at once take turns.
    const organised = await tx
      .select({ organisationId: memberships.organisationId, name: organisations.name })
      .from(memberships)
      .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
      .where(and(eq(memberships.userId, userId), eq(memberships.role, 'organiser')));
    for (const { organisationId, name } of organised) {
      const others = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(
          and(
            eq(memberships.organisationId, organisationId),
            eq(memberships.role, 'organiser'),
            ne(memberships.userId, userId),
          ),
        )
        .for('update');
      if (others.length === 0) {
        throw new ApiError(
          409,
          'last_organiser',
          `You are the only organiser of "${name}": make someone else an organiser (invite a co-organiser) before deleting your account.`,
          [{ path: 'organisation', message: name }],
        );
      }
    }

    const owned = await tx
      .select({ id: makers.id })
      .from(makers)
      .where(eq(makers.ownerUserId, userId));
    const makerIds = owned.map((v) => v.id);
    let helpersRemoved = 0;
    if (makerIds.length > 0) {
      // The profile and its public page, and every photo of the person and their products.
      await tx.delete(makerPhotos).where(inArray(makerPhotos.makerId, makerIds));
      await tx.delete(makerProfiles).where(inArray(makerProfiles.makerId, makerIds));
      await tx.delete(productPhotos).where(inArray(productPhotos.makerId, makerIds));
      await tx
        .update(products)
        .set({ photoId: null, version: sql`${products.version} + 1` })
        .where(inArray(products.makerId, makerIds));
      // Helpers lose access; links that would make new ones no longer work.
      const helpers = await tx
        .delete(memberships)
        .where(and(eq(memberships.role, 'helper'), inArray(memberships.makerId, makerIds)))
        .returning({ id: memberships.id });
      helpersRemoved = helpers.length;
      await tx
        .update(invitations)
        .set({ revokedAt: new Date() })
        .where(
          and(
            inArray(invitations.makerId, makerIds),
            isNull(invitations.usedAt),
            isNull(invitations.revokedAt),
          ),
        );
      // An organisation counts a member maker's sales (taking-part.ts); with the membership
      // gone, the maker stays "taking part" where they sold, so the figures still add up.
      await tx.execute(sql`
        insert into event_makers (event_id, maker_id)
        select distinct s.event_id, s.maker_id
          from sales s join events e on e.id = s.event_id
         where s.maker_id in (${sql.join(
           makerIds.map((id) => sql`${id}`),
           sql`, `,
         )})
           and e.organisation_id is not null
        on conflict do nothing`);
      await tx
        .update(makers)
        .set({ deletedAt: new Date(), ownerUserId: null })
        .where(inArray(makers.id, makerIds));
    }

    // The application that led to this account named the person: it stays for the
    // organiser's record (its status), without the name, contact or photos.
    const used = tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(eq(invitations.usedBy, userId));
    const applications = await tx
      .update(makerApplications)
      .set({ name: '', contact: '', craft: '' })
      .where(inArray(makerApplications.invitationId, used))
      .returning({ id: makerApplications.id });
    if (applications.length > 0) {
      await tx.delete(applicationPhotos).where(
        inArray(
          applicationPhotos.applicationId,
          applications.map((a) => a.id),
        ),
      );
    }
    // The organiser's note on the link this person joined with ("for Amira, honey cakes").
    await tx.update(invitations).set({ note: null }).where(eq(invitations.usedBy, userId));

    const key = accountKey(person.email);
    if (key) await tx.delete(signInAttempts).where(eq(signInAttempts.email, key));
    // Sessions, sign-in methods (password hash), memberships and devices go with the user
    // (foreign keys on delete cascade); invitations they made or used keep no link to them.
    await tx.delete(user).where(eq(user.id, userId));
    return { makerIds, helpersRemoved };
  });
}
