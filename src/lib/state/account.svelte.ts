import type { DeviceStore } from '$lib/db';
import type { Id } from '$lib/domain/types';
import type { AccountRole, LandingPath } from '$lib/services/account-start';
import { app } from './app.svelte';
import { sync } from './sync.svelte';

/** The device setting that remembers the account's roles, for offline starts. */
export const ACCOUNT_SETTING = 'account';

/** What the device knows of its account: who, and the roles in every organisation. */
export interface KnownAccount {
  name: string;
  roles: AccountRole[];
  /** The organisation of the first organiser membership, for "Organiser at ...". */
  organisationName: string | null;
  /** The server's maker id of the first seller membership, if it has one. */
  makerId: Id | null;
}

interface MeAnswer {
  user: { name: string };
  memberships: { role: AccountRole; organisationName: string; makerId: Id | null }[];
}

export function knownAccountOf(me: MeAnswer): KnownAccount {
  const roles = me.memberships.map((m) => m.role).filter((role, i, all) => all.indexOf(role) === i);
  return {
    name: me.user.name,
    roles,
    organisationName: me.memberships.find((m) => m.role === 'organiser')?.organisationName ?? null,
    makerId: me.memberships.find((m) => m.role !== 'organiser' && m.makerId)?.makerId ?? null,
  };
}

/**
 * The account as the device last knew it (null: no account or signed out). Kept in the
 * device store, so the navigation offers the organiser area and the status line says
 * "saved on this phone" without waiting for the network; refreshed from /api/me when online.
 */
class AccountState {
  known = $state.raw<KnownAccount | null>(null);
  /** False until the stored answer was read: screens wait for it before routing. */
  loaded = $state(false);

  get organiser(): boolean {
    return this.known?.roles.includes('organiser') ?? false;
  }

  async load(store: DeviceStore): Promise<void> {
    this.known = (await store.getSetting<KnownAccount | null>(ACCOUNT_SETTING)) ?? null;
    this.loaded = true;
  }

  /**
   * Asks the server who is signed in and remembers it. Offline (or a server error) keeps
   * what was known; a 401 means no account on this device any more.
   */
  async refresh(store: DeviceStore): Promise<KnownAccount | null> {
    let response: Response;
    try {
      response = await fetch('/api/me', { credentials: 'same-origin' });
    } catch {
      return this.known;
    }
    if (response.status === 401) {
      await this.#remember(store, null);
    } else if (response.ok) {
      const me = (await response.json().catch(() => null)) as MeAnswer | null;
      if (me?.user && Array.isArray(me.memberships)) {
        await this.#remember(store, knownAccountOf(me));
      }
    }
    return this.known;
  }

  /** After signing out: the device has no account any more. */
  async forget(store: DeviceStore): Promise<void> {
    await this.#remember(store, null);
  }

  /**
   * After signing in, signing up or joining by invitation: learns the roles, gives a seller's
   * device its stall (named from their maker profile on the server, else their name) when it
   * has none, fetches the account's data, chooses the till's event, and answers where to go.
   * `stallName`: the stall a helper's invitation names (the maker's), used first.
   */
  async arrive(
    store: DeviceStore,
    hints: { stallName?: string | null } = {},
  ): Promise<LandingPath> {
    // Signing in is rare: its service is loaded here, not with the till (docs/style.md rule 12).
    const [known, { chooseEventIfNone, ensureStall, landingPath, sells, stallNameFrom }] =
      await Promise.all([this.refresh(store), import('$lib/services/account-start')]);
    const roles = known?.roles ?? [];
    if (known && sells(roles) && !(await store.getProfile())) {
      // A maker's own profile; a helper has none of their own (403) and sells for the
      // maker their membership names.
      const own = roles.includes('maker') ? await fetchOwnMakerProfile() : null;
      await ensureStall(store, {
        makerId: own?.makerId ?? known.makerId,
        stallName: stallNameFrom(hints.stallName, own?.displayName, known.name),
      });
    }
    await app.refresh();
    await sync.syncNow();
    if (app.profile) await chooseEventIfNone(store);
    await app.refresh();
    return landingPath({ hasStall: app.profile !== undefined, roles });
  }

  async #remember(store: DeviceStore, known: KnownAccount | null): Promise<void> {
    // Asked at every start: write only what changed.
    if (JSON.stringify(known) !== JSON.stringify(this.known) || !this.loaded) {
      await store.setSetting(ACCOUNT_SETTING, known);
    }
    this.known = known;
    this.loaded = true;
  }
}

/** The maker a seller sells for, as the server knows them (offline or refused: null). */
async function fetchOwnMakerProfile(): Promise<{ makerId: Id; displayName: string } | null> {
  try {
    const response = await fetch('/api/organiser/profile', { credentials: 'same-origin' });
    if (!response.ok) return null;
    const body = (await response.json()) as { profile?: { makerId?: Id; displayName?: string } };
    const profile = body.profile;
    return profile?.makerId
      ? { makerId: profile.makerId, displayName: profile.displayName ?? '' }
      : null;
  } catch {
    return null;
  }
}

export const account = new AccountState();
