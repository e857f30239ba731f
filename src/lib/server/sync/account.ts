// Who is syncing and what they may touch: the account's organisations, the vendor (maker)
// it sells for, and how a vendor id made on a device before the account existed is adopted.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Tx } from '$lib/server/db';
import { memberships, vendors } from '$lib/server/db/schema';
import { honouredHelperMakers } from '$lib/server/accounts/helpers';

export interface SyncAccount {
  userId: string;
  /** Organisations the user is a member of (any role). */
  organisationIds: string[];
  /** Organisations where the user is an organiser. */
  organiserOf: string[];
  /** The vendor this account sells for, or null until one is adopted. */
  sellingVendorId: string | null;
  /** True when the account sells only as a helper for someone else's stall. */
  helperOnly: boolean;
  /** Every vendor whose data the account may read (own, plus makers it helps). */
  vendorIds: string[];
}

/** Loads the account. Pass the transaction so what it reads and what it writes agree. */
export async function loadAccount(db: Db | Tx, userId: string): Promise<SyncAccount> {
  // One query after the other: both run on the push's one transaction.
  const owned = await db
    .select({ id: vendors.id })
    .from(vendors)
    .where(eq(vendors.ownerUserId, userId));
  const rows = await db
    .select({
      organisationId: memberships.organisationId,
      role: memberships.role,
      vendorId: memberships.vendorId,
      createdAt: memberships.createdAt,
    })
    .from(memberships)
    .where(eq(memberships.userId, userId))
    .orderBy(memberships.createdAt, memberships.id);
  // A helper membership counts only while its maker is a maker of that organisation who
  // invited the helper or shares figures with it (accounts/helpers.ts).
  const honoured = rows.some((r) => r.role === 'helper' && r.vendorId)
    ? await honouredHelperMakers(db, userId)
    : new Set<string>();
  const ownVendor =
    owned[0]?.id ?? rows.find((r) => r.role === 'vendor' && r.vendorId)?.vendorId ?? null;
  const helping = rows
    .filter((r) => r.role === 'helper' && honoured.has(`${r.organisationId}:${r.vendorId ?? ''}`))
    .map((r) => r.vendorId);
  const selling = ownVendor ?? helping[0] ?? null;
  const vendorIds = [
    ...new Set(
      [
        ownVendor,
        ...rows.filter((r) => r.role === 'vendor').map((r) => r.vendorId),
        ...helping,
      ].filter((v): v is string => !!v),
    ),
  ];
  return {
    userId,
    organisationIds: [...new Set(rows.map((r) => r.organisationId))],
    organiserOf: rows.filter((r) => r.role === 'organiser').map((r) => r.organisationId),
    sellingVendorId: selling,
    helperOnly: ownVendor === null && selling !== null,
    vendorIds,
  };
}

export type VendorMapping = { ok: true; vendorId: string } | { ok: false; reason: string };

/**
 * Maps the vendor ids a device used to the vendor they are stored under on the server.
 *
 * A device makes its VendorProfile id at first run, before there is an account. So:
 *   - an id the account already sells for (or helps) is kept;
 *   - an id the server has never seen is the device's own profile, made before signing in:
 *     it is adopted. If the account has no vendor yet, that id becomes the account's vendor
 *     (a `vendors` row, and the account's vendor memberships point at it); otherwise it is
 *     an alias of the account's vendor (a maker's second phone, a helper's phone);
 *   - an id that belongs to another account is refused.
 */
export class VendorResolver {
  private readonly known = new Set<string>();

  private constructor(
    private readonly account: SyncAccount,
    known: Iterable<string>,
  ) {
    for (const id of known) this.known.add(id);
  }

  /** Reads which of `candidates` the server knows, then adopts the first unknown one if needed. */
  static async create(
    tx: Tx,
    account: SyncAccount,
    candidates: readonly string[],
  ): Promise<VendorResolver> {
    const ids = [...new Set(candidates)].filter((id) => !account.vendorIds.includes(id));
    let known: string[] = [];
    if (ids.length > 0) {
      const v = await tx.select({ id: vendors.id }).from(vendors).where(inArray(vendors.id, ids));
      const m = await tx
        .select({ id: memberships.vendorId })
        .from(memberships)
        .where(inArray(memberships.vendorId, ids));
      known = [...v.map((r) => r.id), ...m.map((r) => r.id ?? '')];
    }
    const resolver = new VendorResolver(account, known);
    const adopt =
      account.sellingVendorId === null ? ids.find((id) => !resolver.known.has(id)) : null;
    if (adopt) await resolver.adopt(tx, adopt);
    return resolver;
  }

  get sellingVendorId(): string | null {
    return this.account.sellingVendorId;
  }

  get helperOnly(): boolean {
    return this.account.helperOnly;
  }

  /** May this account read and change data of `vendorId` (a server vendor id)? */
  owns(vendorId: string): boolean {
    return this.account.vendorIds.includes(vendorId);
  }

  map(deviceVendorId: string): VendorMapping {
    if (this.account.vendorIds.includes(deviceVendorId)) {
      return { ok: true, vendorId: deviceVendorId };
    }
    if (this.known.has(deviceVendorId)) {
      return { ok: false, reason: 'the vendor belongs to another account' };
    }
    const selling = this.account.sellingVendorId;
    if (selling === null) return { ok: false, reason: 'this account has no vendor profile' };
    return { ok: true, vendorId: selling };
  }

  private async adopt(tx: Tx, vendorId: string): Promise<void> {
    await tx.insert(vendors).values({ id: vendorId, ownerUserId: this.account.userId });
    await tx
      .update(memberships)
      .set({ vendorId })
      .where(
        and(
          eq(memberships.userId, this.account.userId),
          eq(memberships.role, 'vendor'),
          isNull(memberships.vendorId),
        ),
      );
    this.account.sellingVendorId = vendorId;
    this.account.helperOnly = false;
    this.account.vendorIds = [...this.account.vendorIds, vendorId];
  }
}
