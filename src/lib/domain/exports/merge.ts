/**
 * Two time-ordered streams of journal entries, each read a page (an array) at a time, as one
 * time-ordered stream of pages (compareEntries). The server and the device read sales and
 * refunds by separate keyset cursors and merge them here. Work is per page, not per entry:
 * a page is merged synchronously, so a year of 150,000 rows costs a few hundred awaits, not a
 * few per row.
 *
 * Safe because each source is sorted: everything up to the smaller of the two pages' last
 * entries can be written now (neither source can still give an earlier one); the source whose
 * page ends there is then used up, so every round makes progress.
 */
import { compareEntries, type JournalEntry } from './journal';

class Side {
  page: readonly JournalEntry[] = [];
  at = 0;
  done = false;

  constructor(private readonly source: AsyncIterator<readonly JournalEntry[]>) {}

  /** Reads pages until one has an entry left, or the source ends. */
  async fill(): Promise<void> {
    while (!this.done && this.at >= this.page.length) {
      const next = await this.source.next();
      if (next.done) this.done = true;
      else {
        this.page = next.value;
        this.at = 0;
      }
    }
  }

  get empty(): boolean {
    return this.at >= this.page.length;
  }

  get head(): JournalEntry {
    return this.page[this.at]!;
  }

  get last(): JournalEntry {
    return this.page[this.page.length - 1]!;
  }
}

export async function* mergedPages(
  a: AsyncIterator<readonly JournalEntry[]>,
  b: AsyncIterator<readonly JournalEntry[]>,
): AsyncGenerator<JournalEntry[]> {
  const x = new Side(a);
  const y = new Side(b);
  for (;;) {
    await Promise.all([x.fill(), y.fill()]);
    if (x.empty && y.empty) return;
    // Entries up to `bound` are final; no bound when one side is used up for good.
    const bound =
      x.empty || y.empty ? undefined : compareEntries(x.last, y.last) <= 0 ? x.last : y.last;
    const out: JournalEntry[] = [];
    for (;;) {
      const fromX =
        !x.empty && (y.empty || compareEntries(x.head, y.head) <= 0)
          ? true
          : y.empty
            ? null
            : false;
      if (fromX === null) break;
      const side = fromX ? x : y;
      const entry = side.head;
      if (bound && compareEntries(entry, bound) > 0) break;
      out.push(entry);
      side.at++;
    }
    yield out;
  }
}

/** The entries of a stream of pages, one by one. */
export async function* flatPages<T>(pages: AsyncIterable<readonly T[]>): AsyncGenerator<T> {
  for await (const page of pages) yield* page;
}
