/**
 * Paging of user and group lists: a stable order by id, offset or keyset, and totals that
 * avoid a COUNT whenever the page or the directory's live counters already tell it.
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import type { Page } from '../app/ports.js';
import type { Executor } from './db-types.js';

/**
 * Orders by id and applies the page: a seek past `afterId` when known, else OFFSET.
 * With a filter, the order key is an expression (`id || ''`, same order) so the planner cannot
 * walk the id index and test every row against the filter — PostgreSQL does exactly that for
 * `userName eq "x" ORDER BY id LIMIT 100` whenever its statistics are stale, turning Okta's
 * existence check into a scan. The filter's own index then finds the rows, and only they are sorted.
 */
export function pageOf<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  idColumn: 'u.id' | 'g.id',
  page: Page,
  filtered: boolean,
  directory: DirectoryState,
): SelectQueryBuilder<DB, TB, O> {
  const orderKey = filtered ? sql`${sql.ref(idColumn)} || ''` : sql.ref(idColumn);
  const ordered = query.orderBy(orderKey).limit(page.limit);
  // A seek is exact only if nothing changed since the hint was taken; otherwise skip by offset.
  return page.seek !== undefined && page.seek.version === directory.version
    ? ordered.where(sql.ref(idColumn), '>', page.seek.afterId as never)
    : ordered.offset(page.offset);
}

/**
 * The total without a COUNT query when the page itself tells it: a first page that is not full
 * holds every match (Okta's userName look-up), and so does a last page that is not full.
 */
export async function totalOf(returned: number, page: Page, count: () => Promise<number>): Promise<number> {
  if (page.limit > 0 && returned < page.limit && (returned > 0 || page.offset === 0)) return page.offset + returned;
  return count();
}

export async function countRows(query: SelectQueryBuilder<any, any, any>): Promise<number> {
  const row = await query.select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number((row as { n: unknown }).n);
}

type Counter = 'user_count' | 'group_count';

export interface DirectoryState {
  /** The directory's last event sequence number: it moves with every change. */
  version: number;
  liveCount: number;
}

/** The directory's version and live count, read before the page so a seek can be validated. */
export async function directoryState(db: Executor, directoryId: string, counter: Counter): Promise<DirectoryState> {
  const row = await db.selectFrom('directories').select(['event_seq', counter]).where('id', '=', directoryId).executeTakeFirst();
  return { version: Number(row?.event_seq ?? 0), liveCount: Number(row?.[counter] ?? 0) };
}

/** Keeps the directory's live counter with an insert (+1) or delete (-1), in the same transaction. */
export async function adjustCount(db: Executor, directoryId: string, counter: Counter, delta: 1 | -1): Promise<void> {
  await db
    .updateTable('directories')
    .set((eb) => ({ [counter]: eb(counter, '+', delta) }) as never)
    .where('id', '=', directoryId)
    .execute();
}
