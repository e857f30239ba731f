import { uuidv7 } from '$lib/domain/ids';

/**
 * Which browser tab this page is, and whether another tab is still open: the till brings a
 * saved cart back only into the tab that made it (a reload keeps the tab's id in
 * sessionStorage) or when the tab that made it is gone (a crash, a closed tab). A cart still
 * being filled in another open tab stays there: two tabs showing one cart could sell it twice.
 *
 * Each tab holds a Web Lock named after its id for as long as it lives; the browser releases
 * it when the tab goes, however it goes. Without Web Locks (or sessionStorage) every tab
 * counts as gone, so a saved cart always comes back.
 */
const TAB_KEY = 'kraam.tab';
const LOCK_PREFIX = 'kraam-tab-';

let id: string | null = null;

export function currentTabId(): string {
  if (id) return id;
  try {
    id = sessionStorage.getItem(TAB_KEY);
    if (!id) {
      id = uuidv7();
      sessionStorage.setItem(TAB_KEY, id);
    }
  } catch {
    id ??= uuidv7();
  }
  holdTab(id);
  return id;
}

function locks(): LockManager | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.locks;
}

function holdTab(tab: string): void {
  // Never resolves: held until the page goes away.
  void locks()
    ?.request(LOCK_PREFIX + tab, () => new Promise<void>(() => undefined))
    .catch(() => undefined);
}

/** Whether the tab with this id is open now (other than this one). */
export async function tabIsOpen(tab: string): Promise<boolean> {
  if (tab === id) return true;
  const manager = locks();
  if (!manager) return false;
  try {
    const { held = [] } = await manager.query();
    return held.some((lock) => lock.name === LOCK_PREFIX + tab);
  } catch {
    return false;
  }
}
