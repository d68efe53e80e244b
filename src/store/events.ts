/**
 * The outbox: events appended in the caller's transaction, numbered by a per-directory
 * sequence kept on the directory row (the increment also serializes a directory's writers,
 * so sequence order is commit order).
 */
import type { EventLog } from '../app/ports.js';
import type { DirectoryEvent, EventType } from '../domain/events.js';
import { chunks, type Executor, type RepoContext } from './db-types.js';

export function createEventLog({ db }: RepoContext, newId: () => string): EventLog {
  return {
    async append(directoryId, organizationId, events, at) {
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
      }));
      for (const part of chunks(rows, 100)) await db.insertInto('events').values(part).execute();
    },
    async listAfter(directoryId, afterSeq, limit) {
      const rows = await eventRowsAfter(db, directoryId, afterSeq, limit);
      return rows.map(
        (row): DirectoryEvent => ({
          id: row.id,
          type: row.type as EventType,
          sequence: Number(row.seq),
          occurredAt: row.occurred_at,
          organizationId: row.organization_id,
          directoryId: row.directory_id,
          data: JSON.parse(row.data) as DirectoryEvent['data'],
        }),
      );
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

/** A directory's event rows after a sequence number, in order: the events API and the delivery worker read the same way. */
export function eventRowsAfter(db: Executor, directoryId: string, afterSeq: number, limit: number) {
  return db.selectFrom('events').selectAll().where('directory_id', '=', directoryId).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}
