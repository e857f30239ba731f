/**
 * The app's modules the exports benchmark drives (bench/exports.js bundles this file with Vite
 * into tmp/, as bench/server-app.ts is bundled), so it measures the code that ships.
 */
export { openDatabase } from '$lib/server/db/open';
export { sales, saleLines, refunds, refundLines } from '$lib/server/db/schema';
export { saleToRow, refundToRows } from '$lib/server/sync/rows';
export { booksExport } from '$lib/server/exports/books';
export { exportSale, exportRefund } from '$lib/domain/exports/testing';
export { MemoryDeviceStore } from '$lib/db/memory-store';
export { exportBooks } from '$lib/services/export-books';
