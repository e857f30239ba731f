// "Download all my data" from the server: everything it holds about the signed-in person, as
// the zip of src/lib/domain/my-data.ts. Whose data is in it (docs/my-data.md):
// - the person: the account (no password hash, no session tokens), sign-in methods, sessions
//   (when and from where), memberships, the invitations they made or used, the application
//   that led to their account, their devices;
// - the maker profile(s) they own (makers.owner_user_id) and that maker's books: products
//   and their history, events taken part in, stall assignments, fees paid, sales, lines,
//   refunds, stock movements, figure sharing, profile photos as files.
// A helper's download holds the helper's own data, not the books of the maker they sell for
// (those are the maker's); an organiser's holds their memberships and the invitations they
// made, not the organisation's events or other people's applications (shared with the other
// organisers, and exported from the dashboard).
import { asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import {
  photoExtension,
  type MyDataFile,
  type MyDataRow,
  type MyDataSource,
  type MyDataTable,
} from '$lib/domain/my-data';
import type { Db } from '$lib/server/db';
import {
  account,
  applicationPhotos,
  eventMakers,
  events,
  feePayments,
  figureSharing,
  invitations,
  makerApplications,
  makerPhotos,
  makerProfiles,
  memberships,
  organisations,
  productHistory,
  productPhotos,
  products,
  refundLines,
  refunds,
  saleLines,
  sales,
  session,
  stallAssignments,
  stalls,
  stockMovements,
  syncDevices,
  user,
  makers,
} from '$lib/server/db/schema';

/** Rows per page read from the database (and compressed before the next is read). */
export const MY_DATA_PAGE_SIZE = 1000;

/** Every table a server download has, in order (tests check each is there). */
export const SERVER_MY_DATA_TABLES = [
  'account',
  'sign_in_methods',
  'sessions',
  'memberships',
  'invitations',
  'applications',
  'devices',
  'makers',
  'maker_profiles',
  'maker_photos',
  'figure_sharing',
  'events',
  'event_makers',
  'stall_assignments',
  'fee_payments',
  'products',
  'product_history',
  'sales',
  'sale_lines',
  'refunds',
  'refund_lines',
  'stock_movements',
] as const;

const NOTE =
  'Everything this Kraam server holds about your account, and the books of the maker ' +
  'profile you own. Amounts are in cents in the JSON files and in euros in the CSV files. ' +
  'Passwords and session keys are never exported.';

/** `column in (ids)`, false for no ids. */
function among(column: Parameters<typeof inArray>[0], ids: readonly string[]): SQL {
  return ids.length === 0 ? sql`false` : inArray(column, [...ids]);
}

function paged(
  load: (offset: number, limit: number) => Promise<MyDataRow[]>,
  size: number,
): () => AsyncIterable<MyDataRow[]> {
  return async function* () {
    for (let offset = 0; ; offset += size) {
      const page = await load(offset, size);
      yield page;
      if (page.length < size) return;
    }
  };
}

/** The maker profiles this account owns (a maker has one; a helper or organiser none). */
export async function ownedMakerIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .select({ id: makers.id })
    .from(makers)
    .where(eq(makers.ownerUserId, userId));
  return rows.map((r) => r.id);
}

export async function myDataSource(
  db: Db,
  userId: string,
  options: { now?: number; pageSize?: number } = {},
): Promise<MyDataSource> {
  const now = options.now ?? Date.now();
  const pageSize = options.pageSize ?? MY_DATA_PAGE_SIZE;
  const makerIds = await ownedMakerIds(db, userId);
  const mine = <T extends { makerId: Parameters<typeof inArray>[0] }>(t: T) =>
    among(t.makerId, makerIds);
  const usedInvitations = db
    .select({ id: invitations.id })
    .from(invitations)
    .where(eq(invitations.usedBy, userId));
  const applicationWhere = inArray(makerApplications.invitationId, usedInvitations);
  const eventIdsTakenPart = or(
    among(events.ownerMakerId, makerIds),
    inArray(
      events.id,
      db.select({ id: eventMakers.eventId }).from(eventMakers).where(mine(eventMakers)),
    ),
    inArray(
      events.id,
      db
        .select({ id: stallAssignments.eventId })
        .from(stallAssignments)
        .where(mine(stallAssignments)),
    ),
    inArray(events.id, db.selectDistinct({ id: sales.eventId }).from(sales).where(mine(sales))),
  );

  const table = (
    name: (typeof SERVER_MY_DATA_TABLES)[number],
    load: (offset: number, limit: number) => Promise<MyDataRow[]>,
  ): MyDataTable => ({ name, pages: paged(load, pageSize) });

  const tables: MyDataTable[] = [
    table('account', (offset, limit) =>
      db
        .select({
          id: user.id,
          name: user.name,
          email: user.email,
          emailVerified: user.emailVerified,
          image: user.image,
          createdAt: user.createdAt,
          updatedAt: user.updatedAt,
        })
        .from(user)
        .where(eq(user.id, userId))
        .offset(offset)
        .limit(limit),
    ),
    table('sign_in_methods', (offset, limit) =>
      db
        .select({
          id: account.id,
          providerId: account.providerId,
          accountId: account.accountId,
          createdAt: account.createdAt,
          updatedAt: account.updatedAt,
        })
        .from(account)
        .where(eq(account.userId, userId))
        .orderBy(asc(account.id))
        .offset(offset)
        .limit(limit),
    ),
    table('sessions', (offset, limit) =>
      db
        .select({
          createdAt: session.createdAt,
          expiresAt: session.expiresAt,
          ipAddress: session.ipAddress,
          userAgent: session.userAgent,
        })
        .from(session)
        .where(eq(session.userId, userId))
        .orderBy(asc(session.id))
        .offset(offset)
        .limit(limit),
    ),
    table('memberships', (offset, limit) =>
      db
        .select({
          id: memberships.id,
          organisationId: memberships.organisationId,
          organisationName: organisations.name,
          role: memberships.role,
          makerId: memberships.makerId,
          createdAt: memberships.createdAt,
        })
        .from(memberships)
        .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
        .where(eq(memberships.userId, userId))
        .orderBy(asc(memberships.id))
        .offset(offset)
        .limit(limit),
    ),
    table('invitations', (offset, limit) =>
      db
        .select({
          id: invitations.id,
          organisationId: invitations.organisationId,
          role: invitations.role,
          newOrganisation: invitations.newOrganisation,
          makerId: invitations.makerId,
          note: invitations.note,
          madeByMe: sql<boolean>`${invitations.createdBy} = ${userId}`,
          usedByMe: sql<boolean>`${invitations.usedBy} = ${userId}`,
          createdAt: invitations.createdAt,
          expiresAt: invitations.expiresAt,
          usedAt: invitations.usedAt,
          revokedAt: invitations.revokedAt,
        })
        .from(invitations)
        .where(or(eq(invitations.createdBy, userId), eq(invitations.usedBy, userId)))
        .orderBy(asc(invitations.id))
        .offset(offset)
        .limit(limit),
    ),
    table('applications', (offset, limit) =>
      db
        .select({
          id: makerApplications.id,
          eventId: makerApplications.eventId,
          organisationId: makerApplications.organisationId,
          name: makerApplications.name,
          craft: makerApplications.craft,
          contact: makerApplications.contact,
          language: makerApplications.language,
          consentAt: makerApplications.consentAt,
          status: makerApplications.status,
          message: makerApplications.message,
          invitationId: makerApplications.invitationId,
          createdAt: makerApplications.createdAt,
          decidedAt: makerApplications.decidedAt,
        })
        .from(makerApplications)
        .where(applicationWhere)
        .orderBy(asc(makerApplications.id))
        .offset(offset)
        .limit(limit),
    ),
    table('devices', (offset, limit) =>
      db
        .select({
          id: syncDevices.id,
          makerId: syncDevices.makerId,
          code: syncDevices.code,
          lastAppliedSeq: syncDevices.lastAppliedSeq,
          highestSeq: syncDevices.highestSeq,
          createdAt: syncDevices.createdAt,
          lastPushAt: syncDevices.lastPushAt,
        })
        .from(syncDevices)
        .where(eq(syncDevices.userId, userId))
        .orderBy(asc(syncDevices.id))
        .offset(offset)
        .limit(limit),
    ),
    table('makers', (offset, limit) =>
      db
        .select({ id: makers.id, createdAt: makers.createdAt })
        .from(makers)
        .where(among(makers.id, makerIds))
        .orderBy(asc(makers.id))
        .offset(offset)
        .limit(limit),
    ),
    table('maker_profiles', (offset, limit) =>
      db
        .select()
        .from(makerProfiles)
        .where(mine(makerProfiles))
        .orderBy(asc(makerProfiles.makerId))
        .offset(offset)
        .limit(limit),
    ),
    table('maker_photos', (offset, limit) =>
      db
        .select({
          id: makerPhotos.id,
          makerId: makerPhotos.makerId,
          mimeType: makerPhotos.mimeType,
          size: makerPhotos.size,
          createdAt: makerPhotos.createdAt,
        })
        .from(makerPhotos)
        .where(mine(makerPhotos))
        .orderBy(asc(makerPhotos.id))
        .offset(offset)
        .limit(limit),
    ),
    table('figure_sharing', (offset, limit) =>
      db
        .select()
        .from(figureSharing)
        .where(mine(figureSharing))
        .orderBy(asc(figureSharing.organisationId))
        .offset(offset)
        .limit(limit),
    ),
    table('events', (offset, limit) =>
      db
        .select({
          id: events.id,
          organisationId: events.organisationId,
          ownerMakerId: events.ownerMakerId,
          name: events.name,
          date: events.date,
          place: events.place,
          opensAt: events.opensAt,
          closesAt: events.closesAt,
          status: events.status,
          createdAt: events.createdAt,
          updatedAt: events.updatedAt,
        })
        .from(events)
        .where(eventIdsTakenPart)
        .orderBy(asc(events.id))
        .offset(offset)
        .limit(limit),
    ),
    table('event_makers', (offset, limit) =>
      db
        .select()
        .from(eventMakers)
        .where(mine(eventMakers))
        .orderBy(asc(eventMakers.eventId), asc(eventMakers.makerId))
        .offset(offset)
        .limit(limit),
    ),
    table('stall_assignments', (offset, limit) =>
      db
        .select({
          id: stallAssignments.id,
          eventId: stallAssignments.eventId,
          stallId: stallAssignments.stallId,
          stallLabel: stalls.label,
          makerId: stallAssignments.makerId,
          arrivalTime: stallAssignments.arrivalTime,
          instructions: stallAssignments.instructions,
        })
        .from(stallAssignments)
        .innerJoin(stalls, eq(stalls.id, stallAssignments.stallId))
        .where(mine(stallAssignments))
        .orderBy(asc(stallAssignments.id))
        .offset(offset)
        .limit(limit),
    ),
    table('fee_payments', (offset, limit) =>
      db
        .select()
        .from(feePayments)
        .where(mine(feePayments))
        .orderBy(asc(feePayments.eventId), asc(feePayments.makerId))
        .offset(offset)
        .limit(limit),
    ),
    table('products', (offset, limit) =>
      db
        .select()
        .from(products)
        .where(mine(products))
        .orderBy(asc(products.id))
        .offset(offset)
        .limit(limit),
    ),
    table('product_history', (offset, limit) =>
      db
        .select({
          id: productHistory.id,
          productId: productHistory.productId,
          field: productHistory.field,
          oldValue: productHistory.oldValue,
          newValue: productHistory.newValue,
          deviceId: productHistory.deviceId,
          hlc: productHistory.hlc,
          changedAt: productHistory.changedAt,
        })
        .from(productHistory)
        .innerJoin(products, eq(products.id, productHistory.productId))
        .where(mine(products))
        .orderBy(asc(productHistory.id))
        .offset(offset)
        .limit(limit),
    ),
    table('sales', (offset, limit) =>
      db.select().from(sales).where(mine(sales)).orderBy(asc(sales.id)).offset(offset).limit(limit),
    ),
    table('sale_lines', (offset, limit) =>
      db
        .select({
          id: saleLines.id,
          saleId: saleLines.saleId,
          position: saleLines.position,
          productId: saleLines.productId,
          name: saleLines.name,
          unitPriceCents: saleLines.unitPriceCents,
          vatRate: saleLines.vatRate,
          quantity: saleLines.quantity,
          lineDiscountCents: saleLines.lineDiscountCents,
          cartDiscountShareCents: saleLines.cartDiscountShareCents,
          totalCents: saleLines.totalCents,
          vatCents: saleLines.vatCents,
        })
        .from(saleLines)
        .innerJoin(sales, eq(sales.id, saleLines.saleId))
        .where(mine(sales))
        .orderBy(asc(saleLines.id))
        .offset(offset)
        .limit(limit),
    ),
    table('refunds', (offset, limit) =>
      db
        .select()
        .from(refunds)
        .where(mine(refunds))
        .orderBy(asc(refunds.id))
        .offset(offset)
        .limit(limit),
    ),
    table('refund_lines', (offset, limit) =>
      db
        .select({
          refundId: refundLines.refundId,
          saleLineId: refundLines.saleLineId,
          productId: refundLines.productId,
          vatRate: refundLines.vatRate,
          quantity: refundLines.quantity,
          amountCents: refundLines.amountCents,
          vatCents: refundLines.vatCents,
        })
        .from(refundLines)
        .innerJoin(refunds, eq(refunds.id, refundLines.refundId))
        .where(mine(refunds))
        .orderBy(asc(refundLines.refundId), asc(refundLines.saleLineId))
        .offset(offset)
        .limit(limit),
    ),
    table('stock_movements', (offset, limit) =>
      db
        .select()
        .from(stockMovements)
        .where(mine(stockMovements))
        .orderBy(asc(stockMovements.id))
        .offset(offset)
        .limit(limit),
    ),
  ];

  async function* files(): AsyncGenerator<MyDataFile> {
    // One photo's bytes in memory at a time.
    const photoIds = await db
      .select({ id: makerPhotos.id })
      .from(makerPhotos)
      .where(mine(makerPhotos))
      .orderBy(asc(makerPhotos.id));
    for (const { id } of photoIds) {
      const [photo] = await db.select().from(makerPhotos).where(eq(makerPhotos.id, id));
      if (photo) {
        yield {
          path: `photos/profile/${id}.${photoExtension(photo.mimeType)}`,
          bytes: photo.bytes,
        };
      }
    }
    const productPhotoIds = await db
      .select({ id: productPhotos.id })
      .from(productPhotos)
      .where(mine(productPhotos))
      .orderBy(asc(productPhotos.id));
    for (const { id } of productPhotoIds) {
      const [photo] = await db.select().from(productPhotos).where(eq(productPhotos.id, id));
      if (photo) {
        yield {
          path: `photos/products/${id}.${photoExtension(photo.mimeType)}`,
          bytes: photo.bytes,
        };
      }
    }
    const applicationPhotoIds = await db
      .select({ id: applicationPhotos.id })
      .from(applicationPhotos)
      .innerJoin(makerApplications, eq(makerApplications.id, applicationPhotos.applicationId))
      .where(applicationWhere)
      .orderBy(asc(applicationPhotos.id));
    for (const { id } of applicationPhotoIds) {
      const [photo] = await db.select().from(applicationPhotos).where(eq(applicationPhotos.id, id));
      if (photo) {
        yield {
          path: `photos/application/${id}.${photoExtension(photo.mimeType)}`,
          bytes: photo.bytes,
        };
      }
    }
  }

  return {
    origin: 'server',
    exportedAt: now,
    tables: tablesOf(tables),
    files: files(),
    note: NOTE,
  };
}

async function* tablesOf(tables: readonly MyDataTable[]): AsyncGenerator<MyDataTable> {
  for (const t of tables) yield t;
}

/** The download's file name: kraam-my-data-YYYY-MM-DD.zip. */
export function myDataFileName(now = Date.now()): string {
  return `kraam-my-data-${new Date(now).toISOString().slice(0, 10)}.zip`;
}
