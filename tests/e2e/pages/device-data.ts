import type { Page } from '@playwright/test';

/**
 * How many sales the page's device database holds, read on plain IndexedDB (not through the
 * app), so a test sees what is stored whatever the app shows.
 */
export function storedSales(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('kraam');
        open.onerror = () => reject(new Error('no database'));
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction('sales').objectStore('sales').count();
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
        };
      }),
  );
}
