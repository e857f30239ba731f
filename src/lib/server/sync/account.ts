// Who is syncing and what they may touch: the account's organisations, the maker
// it sells for, and how a maker id made on a device before the account existed is adopted.
import { and, eq, inArray, isNull, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '$lib/server/db';
import { memberships, makers, type Role } from '$lib/server/db/schema';
import { honouredHelperMakers } from '$lib/server/accounts/helpers';

export interface SyncAccount {
  userId: string;
  /** Organisations the user is a member of (any role). */
  organisationIds: string[];
  /** Organisations where the user is an organiser. */
  organiserOf: string[];
  /** The maker this account sells for, or null until one is adopted. */
  sellingMakerId: string | null;
  /** True when the account sells only as a helper for someone else's stall. */
  helperOnly: boolean;
  /** Every maker whose data the account may read (own, plus makers it helps). */
  makerIds: string[];
}

/** One row of what `accountRowsQuery` reads: a membership of the user, or a maker it owns. */
export type AccountRow = {
  kind: 'member' | 'owner';
  organisation_id: string | null;
  role: string | null;
  maker_id: string | null;
};

/**
 * The makers the user owns and their memberships (oldest first), as one query: the push
 * sends it inside the statement that binds its device (push.ts), the others alone.
 */
export function accountRowsQuery(userId: string | Placeholder): SQL {
  return sql`(select 'member' as kind, organisation_id, role, maker_id, created_at, id as row_id
        from memberships where user_id = ${userId})
      union all
      (select 'owner', null, null, id, null, null from makers where owner_user_id = ${userId})
      order by kind, created_at, row_id`;
}

/** Loads the account. Pass the transaction so what it reads and what it writes agree. */
export async function loadAccount(db: Db | Tx, userId: string): Promise<SyncAccount> {
  return accountFromRows(db, userId, await queryRows<AccountRow>(db, accountRowsQuery(userId)));
}

/** The account from the rows `accountRowsQuery` read (a helper's makers read here). */
export async function accountFromRows(
  db: Db | Tx,
  userId: string,
  found: readonly AccountRow[],
): Promise<SyncAccount> {
  const owned = found.filter((r) => r.kind === 'owner').map((r) => ({ id: r.maker_id ?? '' }));
  const rows = found
    .filter((r) => r.kind === 'member')
    .map((r) => ({
      organisationId: r.organisation_id ?? '',
      role: r.role as Role,
      makerId: r.maker_id,
    }));
  // A helper membership counts only while its maker is a maker of that organisation who
  // invited the helper or shares figures with it (accounts/helpers.ts).
  const honoured = rows.some((r) => r.role === 'helper' && r.makerId)
    ? await honouredHelperMakers(db, userId)
    : new Set<string>();
  const ownMaker =
    owned[0]?.id ?? rows.find((r) => r.role === 'maker' && r.makerId)?.makerId ?? null;
  const helping = rows
    .filter((r) => r.role === 'helper' && honoured.has(`${r.organisationId}:${r.makerId ?? ''}`))
    .map((r) => r.makerId);
  const selling = ownMaker ?? helping[0] ?? null;
  const makerIds = [
    ...new Set(
      [
        ownMaker,
        ...rows.filter((r) => r.role === 'maker').map((r) => r.makerId),
        ...helping,
      ].filter((v): v is string => !!v),
    ),
  ];
  return {
    userId,
    organisationIds: [...new Set(rows.map((r) => r.organisationId))],
    organiserOf: rows.filter((r) => r.role === 'organiser').map((r) => r.organisationId),
    sellingMakerId: selling,
    helperOnly: ownMaker === null && selling !== null,
    makerIds,
  };
}

export type MakerMapping = { ok: true; makerId: string } | { ok: false; reason: string };

/**
 * Maps the maker ids a device used to the maker they are stored under on the server.
 *
 * A device makes its StallProfile id at first run, before there is an account. So:
 *   - an id the account already sells for (or helps) is kept;
 *   - an id the server has never seen is the device's own profile, made before signing in:
 *     it is adopted. If the account has no maker yet, that id becomes the account's maker
 *     (a `makers` row, and the account's maker memberships point at it); otherwise it is
 *     an alias of the account's maker (a maker's second phone, a helper's phone);
 *   - an id that belongs to another account is refused.
 */
export class MakerResolver {
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
  ): Promise<MakerResolver> {
    const ids = [...new Set(candidates)].filter((id) => !account.makerIds.includes(id));
    let known: string[] = [];
    if (ids.length > 0) {
      const v = await tx.select({ id: makers.id }).from(makers).where(inArray(makers.id, ids));
      const m = await tx
        .select({ id: memberships.makerId })
        .from(memberships)
        .where(inArray(memberships.makerId, ids));
      known = [...v.map((r) => r.id), ...m.map((r) => r.id ?? '')];
    }
    const resolver = new MakerResolver(account, known);
    const adopt =
      account.sellingMakerId === null ? ids.find((id) => !resolver.known.has(id)) : null;
    if (adopt) await resolver.adopt(tx, adopt);
    return resolver;
  }

  get sellingMakerId(): string | null {
    return this.account.sellingMakerId;
  }

  get helperOnly(): boolean {
    return this.account.helperOnly;
  }

  /** May this account read and change data of `makerId` (a server maker id)? */
  owns(makerId: string): boolean {
    return this.account.makerIds.includes(makerId);
  }

  map(deviceMakerId: string): MakerMapping {
    if (this.account.makerIds.includes(deviceMakerId)) {
      return { ok: true, makerId: deviceMakerId };
    }
    if (this.known.has(deviceMakerId)) {
      return { ok: false, reason: 'the maker belongs to another account' };
    }
    const selling = this.account.sellingMakerId;
    if (selling === null) return { ok: false, reason: 'this account has no maker profile' };
    return { ok: true, makerId: selling };
  }

  private async adopt(tx: Tx, makerId: string): Promise<void> {
    await tx.insert(makers).values({ id: makerId, ownerUserId: this.account.userId });
    await tx
      .update(memberships)
      .set({ makerId })
      .where(
        and(
          eq(memberships.userId, this.account.userId),
          eq(memberships.role, 'maker'),
          isNull(memberships.makerId),
        ),
      );
    this.account.sellingMakerId = makerId;
    this.account.helperOnly = false;
    this.account.makerIds = [...this.account.makerIds, makerId];
  }
}
