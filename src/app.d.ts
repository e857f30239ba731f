// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    // interface Error {}
    /** Set by hooks.server.ts on every server request (src/lib/server/auth/session.ts). */
    interface Locals {
      user: import('$lib/server/auth/session').SessionUser | null;
      session: import('$lib/server/auth/session').SessionInfo | null;
      memberships: import('$lib/server/accounts/memberships').Membership[];
      membership: import('$lib/server/accounts/memberships').Membership | null;
    }
    // interface PageData {}
    /** History state of a client-side navigation (`goto(url, { state })`). */
    interface PageState {
      /** The organiser's event page was opened right after making the event (focus goes to it). */
      created?: boolean;
    }
    // interface Platform {}
  }
}

export {};
