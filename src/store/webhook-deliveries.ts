/**
 * The delivery worker's SQL: creating missing streams, claiming due streams under a lease
 * (PostgreSQL: FOR UPDATE SKIP LOCKED, so concurrent workers never claim the same stream),
 * reading outbox events as stored, saving progress behind a lease guard, redeliveries, and
 * retention that never removes an event a stream still has to send.
 */
import { sql } from 'kysely';
import type { ClaimedRedelivery, ClaimedStream, DeliveryQueue, OutboxEvent } from '../app/webhooks/delivery-queue.js';
import { chunks, type RepoContext } from './db-types.js';
import type { EventsTable } from './schema.js';
import { attemptToRow, deadLetterFromRow } from './webhooks.js';
import { eventRowsAfter } from './events.js';

const eventFromRow = (row: EventsTable): OutboxEvent => ({
  directoryId: row.directory_id,
  sequence: Number(row.seq),
  id: row.id,
  type: row.type,
  organizationId: row.organization_id,
  occurredAt: row.occurred_at,
  data: row.data,
});

export function createDeliveryQueue({ db, dialect }: RepoContext): DeliveryQueue {
  return {
    async ensureStreams(at) {
      const missing = db
        .selectFrom('directories as d')
        .innerJoin('webhook_endpoints as e', (join) =>
          join.on((eb) => eb.or([eb('e.organization_id', '=', ''), eb('e.organization_id', '=', eb.ref('d.organization_id'))])),
        )
        .select((eb) => [
          'd.id as directory_id',
          'e.id as endpoint_id',
          // A directory created after the endpoint was enabled: all of its events. Otherwise the
          // stream should have been started with the endpoint; start at "now" as it would have.
          eb.case().when('d.created_at', '>=', eb.ref('e.enabled_at')).then(eb.val(0)).else(eb.ref('d.event_seq')).end().as('settled_seq'),
          eb.val(0).as('attempts'),
          eb.val(at).as('next_attempt_at'),
        ])
        .where('e.enabled', '=', 1)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('webhook_streams as s')
                .select(sql<number>`1`.as('one'))
                .whereRef('s.directory_id', '=', 'd.id')
                .whereRef('s.endpoint_id', '=', 'e.id'),
            ),
          ),
        );
      const result = await db
        .insertInto('webhook_streams')
        .columns(['directory_id', 'endpoint_id', 'settled_seq', 'attempts', 'next_attempt_at'])
        .expression(missing)
        // two processes may insert the same stream at once
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0);
    },

    async claimStreams(workerId, now, leasedUntil, limit) {
      let query = db
        .selectFrom('webhook_streams as s')
        .innerJoin('webhook_endpoints as e', 'e.id', 's.endpoint_id')
        .innerJoin('directories as d', 'd.id', 's.directory_id')
        .select(['s.directory_id', 's.endpoint_id', 's.settled_seq', 's.attempts', 'e.url', 'e.secret', 'e.event_types'])
        .where('e.enabled', '=', 1)
        // the directory's counter is committed with its events: a higher value means events to send
        .whereRef('d.event_seq', '>', 's.settled_seq')
        .where('s.next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('s.leased_until', 'is', null), eb('s.leased_until', '<=', now)]))
        // the stream waiting longest first, so a busy stream does not starve the others
        .orderBy('s.next_attempt_at')
        .limit(limit);
      // SQLite has one writer at a time; PostgreSQL skips the rows another worker is claiming.
      if (dialect.supportsForUpdate) query = query.forUpdate('s').skipLocked();
      const rows = await query.execute();
      for (const row of rows) {
        await db
          .updateTable('webhook_streams')
          .set({ leased_until: leasedUntil, leased_by: workerId })
          .where('directory_id', '=', row.directory_id)
          .where('endpoint_id', '=', row.endpoint_id)
          .execute();
      }
      return rows.map(
        (row): ClaimedStream => ({
          directoryId: row.directory_id,
          endpointId: row.endpoint_id,
          settledSeq: Number(row.settled_seq),
          attempts: row.attempts,
          endpoint: { id: row.endpoint_id, url: row.url, secret: row.secret, eventTypes: JSON.parse(row.event_types) as string[] },
        }),
      );
    },

    async eventsAfter(directoryId, afterSeq, limit) {
      // data stays the stored JSON text: the worker signs and sends those exact bytes
      return (await eventRowsAfter(db, directoryId, afterSeq, limit)).map(eventFromRow);
    },

    async saveProgress(stream, workerId, p) {
      const result = await db
        .updateTable('webhook_streams')
        .set({
          settled_seq: p.settledSeq,
          attempts: p.attempts,
          next_attempt_at: p.nextAttemptAt,
          leased_until: p.leasedUntil,
          leased_by: p.leasedUntil === null ? null : workerId,
        })
        .where('directory_id', '=', stream.directoryId)
        .where('endpoint_id', '=', stream.endpointId)
        .where('leased_by', '=', workerId)
        .where('settled_seq', '=', p.fromSeq)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) {
        // Restarted under us (re-enabled endpoint) or the lease expired: let go if still ours.
        await db
          .updateTable('webhook_streams')
          .set({ leased_until: null, leased_by: null })
          .where('directory_id', '=', stream.directoryId)
          .where('endpoint_id', '=', stream.endpointId)
          .where('leased_by', '=', workerId)
          .execute();
        return false;
      }
      for (const part of chunks(p.attempted, 100)) {
        await db.insertInto('webhook_attempts').values(part.map(attemptToRow)).onConflict((oc) => oc.doNothing()).execute();
      }
      for (const d of p.deadLetters) {
        const row = {
          directory_id: d.directoryId,
          endpoint_id: d.endpointId,
          event_seq: d.eventSequence,
          event_id: d.eventId,
          event_type: d.eventType,
          attempts: d.attempts,
          last_error: d.lastError,
          died_at: d.diedAt,
          redeliver_requested_at: null,
          redelivered_at: null,
          leased_until: null,
          leased_by: null,
        };
        await db
          .insertInto('webhook_dead_letters')
          .values(row)
          .onConflict((oc) => oc.columns(['directory_id', 'endpoint_id', 'event_seq']).doUpdateSet({ attempts: row.attempts, last_error: row.last_error, died_at: row.died_at }))
          .execute();
      }
      return true;
    },

    async claimRedeliveries(workerId, now, leasedUntil, limit) {
      let query = db
        .selectFrom('webhook_dead_letters as dl')
        .innerJoin('webhook_endpoints as e', 'e.id', 'dl.endpoint_id')
        .selectAll('dl')
        .select(['e.url', 'e.secret', 'e.event_types'])
        .where('e.enabled', '=', 1)
        .where('dl.redeliver_requested_at', 'is not', null)
        .where((eb) => eb.or([eb('dl.leased_until', 'is', null), eb('dl.leased_until', '<=', now)]))
        .orderBy('dl.redeliver_requested_at')
        .orderBy('dl.event_seq')
        .limit(limit);
      if (dialect.supportsForUpdate) query = query.forUpdate('dl').skipLocked();
      const rows = await query.execute();
      const claimed: ClaimedRedelivery[] = [];
      for (const row of rows) {
        await db
          .updateTable('webhook_dead_letters')
          .set({ leased_until: leasedUntil, leased_by: workerId })
          .where('directory_id', '=', row.directory_id)
          .where('endpoint_id', '=', row.endpoint_id)
          .where('event_seq', '=', row.event_seq)
          .execute();
        const event = await db
          .selectFrom('events')
          .selectAll()
          .where('directory_id', '=', row.directory_id)
          .where('seq', '=', row.event_seq)
          .executeTakeFirst();
        claimed.push({
          deadLetter: deadLetterFromRow(row),
          endpoint: { id: row.endpoint_id, url: row.url, secret: row.secret, eventTypes: JSON.parse(row.event_types) as string[] },
          event: event ? eventFromRow(event) : undefined,
        });
      }
      return claimed;
    },

    async finishRedelivery(deadLetter, workerId, attempt) {
      const { directoryId, endpointId, eventSequence } = deadLetter;
      const last = await db
        .selectFrom('webhook_attempts')
        .select((eb) => eb.fn.max('attempt').as('n'))
        .where('directory_id', '=', directoryId)
        .where('endpoint_id', '=', endpointId)
        .where('event_seq', '=', eventSequence)
        .executeTakeFirst();
      await db
        .insertInto('webhook_attempts')
        .values(attemptToRow({ ...attempt, attempt: Number(last?.n ?? 0) + 1 }))
        .onConflict((oc) => oc.doNothing())
        .execute();
      const delivered = attempt.outcome === 'redelivered';
      await db
        .updateTable('webhook_dead_letters')
        .set({ redeliver_requested_at: null, leased_until: null, leased_by: null, ...(delivered ? { redelivered_at: attempt.at } : {}) })
        .where('directory_id', '=', directoryId)
        .where('endpoint_id', '=', endpointId)
        .where('event_seq', '=', eventSequence)
        .where('leased_by', '=', workerId)
        .execute();
    },

    async purgeEvents(directoryId, before) {
      const result = await db
        .deleteFrom('events')
        .where('directory_id', '=', directoryId)
        .where('occurred_at', '<', before)
        .where((eb) =>
          eb(
            'seq',
            '<=',
            eb.fn.coalesce(
              eb
                .selectFrom('webhook_streams as s')
                .innerJoin('webhook_endpoints as e', 'e.id', 's.endpoint_id')
                .select((inner) => inner.fn.min('s.settled_seq').as('low'))
                .where('s.directory_id', '=', directoryId)
                .where('e.enabled', '=', 1),
              eb.val(Number.MAX_SAFE_INTEGER),
            ),
          ),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async purgeHistory(before) {
      let removed = 0;
      // per endpoint, so the (endpoint_id, at) index finds the old rows
      const endpoints = await db.selectFrom('webhook_endpoints').select('id').execute();
      for (const { id } of endpoints) {
        const result = await db.deleteFrom('webhook_attempts').where('endpoint_id', '=', id).where('at', '<', before).executeTakeFirst();
        removed += Number(result.numDeletedRows);
      }
      const dead = await db.deleteFrom('webhook_dead_letters').where('died_at', '<', before).executeTakeFirst();
      return removed + Number(dead.numDeletedRows);
    },
  };
}
