/**
 * The outbox: events appended in the caller's transaction, numbered by a per-directory
 * sequence kept on the directory row (the increment also serializes a directory's writers,
 * so sequence order is commit order).
 */
import type { EventLog, UserHistoryEntry } from '../app/ports.js';
import type { DirectoryEvent, EventType, NewEvent } from '../domain/events.js';
import { chunks, type Executor, type RepoContext } from './db-types.js';
import type { EventsTable } from './schema.js';

/** An event row as the API, the history and webhooks see it (the stored JSON parsed). */
export const eventFromRow = (row: EventsTable): DirectoryEvent => ({
  id: row.id,
  type: row.type as EventType,
  sequence: Number(row.seq),
  occurredAt: row.occurred_at,
  organizationId: row.organization_id,
  directoryId: row.directory_id,
  data: JSON.parse(row.data) as DirectoryEvent['data'],
});

export function createEventLog({ db }: RepoContext, newId: () => string): EventLog {
  return {
    async append(directoryId, organizationId, events, at, requestId) {
      if (events.length === 0) return;
      const row = await db
        .updateTable('directories')
        .set((eb) => ({ event_seq: eb('event_seq', '+', events.length) }))
        .where('id', '=', directoryId)
        .returning('event_seq')
        .executeTakeFirstOrThrow();
      const first = Number(row.event_seq) - events.length + 1;
      const rows = events.map((event, i) => ({
        directory_id: directoryId,
        seq: first + i,
        id: newId(),
        organization_id: organizationId,
        type: event.type,
        occurred_at: at,
        data: JSON.stringify(event.data),
        user_id: subjectUserId(event),
        request_id: requestId ?? null,
      }));
      for (const part of chunks(rows, 100)) await db.insertInto('events').values(part).execute();
    },
    async listAfter(directoryId, afterSeq, limit) {
      const rows = await eventRowsAfter(db, directoryId, afterSeq, limit);
      return rows.map(eventFromRow);
    },
    async historyOfUser(directoryId, userId, options) {
      // The page of events first (index events_user), then their requests (index
      // scim_request_log_request): the limit counts events, whatever the join adds.
      let page = db.selectFrom('events').selectAll().where('directory_id', '=', directoryId).where('user_id', '=', userId);
      if (options.beforeSeq !== undefined) page = page.where('seq', '<', options.beforeSeq);
      const rows = await db
        .selectFrom(page.orderBy('seq', 'desc').limit(options.limit).as('e'))
        .leftJoin('scim_request_log as r', (join) => join.onRef('r.directory_id', '=', 'e.directory_id').onRef('r.request_id', '=', 'e.request_id'))
        .selectAll('e')
        .select(['r.id as log_id', 'r.method', 'r.path', 'r.status', 'r.at as log_at', 'r.client_ip'])
        .orderBy('e.seq', 'desc')
        .orderBy('r.id')
        .execute();
      const bySeq = new Map<number, typeof rows>();
      for (const row of rows) {
        const seq = Number(row.seq);
        bySeq.set(seq, [...(bySeq.get(seq) ?? []), row]);
      }
      return [...bySeq.values()].map((matches): UserHistoryEntry => {
        // Request ids are ours unless a client sent X-Request-Id, which it may reuse: then the
        // cause is the first such request logged at or after the event (logged when it ended).
        const row = matches.find((m) => m.log_at !== null && m.log_at >= m.occurred_at) ?? matches[0]!;
        return {
          event: eventFromRow(row),
          request:
            row.log_id === null
              ? null
              : { requestId: row.request_id!, method: row.method!, path: row.path!, status: Number(row.status), at: row.log_at!, clientIp: row.client_ip },
        };
      });
    },
    async lastSequence(directoryId) {
      const row = await db.selectFrom('directories').select('event_seq').where('id', '=', directoryId).executeTakeFirst();
      return Number(row?.event_seq ?? 0);
    },
    async purge(directoryId, before) {
      const result = await db.deleteFrom('events').where('directory_id', '=', directoryId).where('occurred_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async count(directoryId, type) {
      let query = db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('directory_id', '=', directoryId);
      if (type) query = query.where('type', '=', type);
      const row = await query.executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

/** The user an event is about: every user.* and group.member_* payload names it as `user`. */
function subjectUserId(event: NewEvent): string | null {
  const user = (event.data as { user?: { id?: unknown } }).user;
  return typeof user?.id === 'string' ? user.id : null;
}

/** A directory's event rows after a sequence number, in order: the events API and the delivery worker read the same way. */
export function eventRowsAfter(db: Executor, directoryId: string, afterSeq: number, limit: number) {
  return db.selectFrom('events').selectAll().where('directory_id', '=', directoryId).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}
