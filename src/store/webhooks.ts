/**
 * webhook_endpoints and the management side of delivery: streams started when an endpoint is
 * created or re-enabled, attempts and dead letters for the API and CLI. A global endpoint is
 * stored with organization_id '' (the column is part of the primary key) and surfaces as null.
 */
import { sql } from 'kysely';
import type { DeadLetter, DeliveryAttempt, AttemptOutcome, WebhookEndpoint, WebhookRepository } from '../app/webhooks/webhook-repository.js';
import type { RepoContext } from './db-types.js';
import type { WebhookAttemptsTable, WebhookDeadLettersTable, WebhookEndpointsTable } from './webhook-schema.js';

const GLOBAL = '';

const endpointFromRow = (row: WebhookEndpointsTable): WebhookEndpoint => ({
  id: row.id,
  organizationId: row.organization_id === GLOBAL ? null : row.organization_id,
  url: row.url,
  secret: row.secret,
  eventTypes: JSON.parse(row.event_types) as string[],
  enabled: Number(row.enabled) === 1,
  enabledAt: row.enabled_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** @internal shared with store/webhook-deliveries.ts */
export const attemptFromRow = (row: WebhookAttemptsTable): DeliveryAttempt => ({
  endpointId: row.endpoint_id,
  directoryId: row.directory_id,
  eventId: row.event_id,
  eventSequence: Number(row.event_seq),
  eventType: row.event_type,
  attempt: row.attempt,
  at: row.at,
  statusCode: row.status_code,
  durationMs: Number(row.duration_ms),
  error: row.error,
  outcome: row.outcome as AttemptOutcome,
});

/** @internal */
export const attemptToRow = (a: DeliveryAttempt): WebhookAttemptsTable => ({
  directory_id: a.directoryId,
  endpoint_id: a.endpointId,
  event_seq: a.eventSequence,
  attempt: a.attempt,
  event_id: a.eventId,
  event_type: a.eventType,
  at: a.at,
  status_code: a.statusCode,
  duration_ms: a.durationMs,
  error: a.error,
  outcome: a.outcome,
});

/** @internal */
export const deadLetterFromRow = (row: WebhookDeadLettersTable): DeadLetter => ({
  endpointId: row.endpoint_id,
  directoryId: row.directory_id,
  eventId: row.event_id,
  eventSequence: Number(row.event_seq),
  eventType: row.event_type,
  attempts: row.attempts,
  lastError: row.last_error,
  diedAt: row.died_at,
  redeliverRequestedAt: row.redeliver_requested_at,
  redeliveredAt: row.redelivered_at,
});

export function createWebhookRepository({ db }: RepoContext): WebhookRepository {
  return {
    async insertEndpoint(e) {
      await db
        .insertInto('webhook_endpoints')
        .values({
          organization_id: e.organizationId ?? GLOBAL,
          id: e.id,
          url: e.url,
          secret: e.secret,
          event_types: JSON.stringify(e.eventTypes),
          enabled: e.enabled ? 1 : 0,
          enabled_at: e.enabledAt,
          created_at: e.createdAt,
          updated_at: e.updatedAt,
        })
        .execute();
    },
    async findEndpoint(id) {
      const row = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? endpointFromRow(row) : undefined;
    },
    async listEndpoints(scope) {
      let query = db.selectFrom('webhook_endpoints').selectAll();
      if (scope.organizationId !== undefined) query = query.where('organization_id', 'in', [scope.organizationId, GLOBAL]);
      const rows = await query.orderBy('created_at').orderBy('id').execute();
      return rows.map(endpointFromRow);
    },
    async updateEndpoint(e) {
      await db
        .updateTable('webhook_endpoints')
        .set({ url: e.url, event_types: JSON.stringify(e.eventTypes), enabled: e.enabled ? 1 : 0, enabled_at: e.enabledAt, updated_at: e.updatedAt })
        .where('organization_id', '=', e.organizationId ?? GLOBAL)
        .where('id', '=', e.id)
        .execute();
    },
    async deleteEndpoint(id) {
      await db.deleteFrom('webhook_streams').where('endpoint_id', '=', id).execute();
      await db.deleteFrom('webhook_attempts').where('endpoint_id', '=', id).execute();
      await db.deleteFrom('webhook_dead_letters').where('endpoint_id', '=', id).execute();
      const result = await db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async startStreams(endpoint, at) {
      let directories = db
        .selectFrom('directories')
        .select((eb) => [
          'id as directory_id',
          eb.val(endpoint.id).as('endpoint_id'),
          'event_seq as settled_seq',
          eb.val(0).as('attempts'),
          eb.val(at).as('next_attempt_at'),
        ]);
      // A WHERE clause in every case: SQLite needs one before ON CONFLICT in INSERT ... SELECT.
      directories =
        endpoint.organizationId === null ? directories.where('id', 'is not', null) : directories.where('organization_id', '=', endpoint.organizationId);
      await db
        .insertInto('webhook_streams')
        .columns(['directory_id', 'endpoint_id', 'settled_seq', 'attempts', 'next_attempt_at'])
        .expression(directories)
        // Restarting keeps any lease: a worker still sending the old head loses its "settled at
        // the sequence I saw" guard and stops, and nobody else sends until its lease ends.
        .onConflict((oc) =>
          oc.columns(['directory_id', 'endpoint_id']).doUpdateSet((eb) => ({
            settled_seq: eb.ref('excluded.settled_seq'),
            attempts: 0,
            next_attempt_at: at,
          })),
        )
        .execute();
    },
    async listAttempts(endpointId, query) {
      let q = db.selectFrom('webhook_attempts').selectAll().where('endpoint_id', '=', endpointId);
      if (query.eventId !== undefined) q = q.where('event_id', '=', query.eventId);
      const rows = await q.orderBy('at', 'desc').orderBy('event_seq', 'desc').orderBy('attempt', 'desc').limit(query.limit).execute();
      return rows.map(attemptFromRow);
    },
    async listDeadLetters(endpointId, query) {
      const rows = await db
        .selectFrom('webhook_dead_letters')
        .selectAll()
        .where('endpoint_id', '=', endpointId)
        .orderBy('died_at', 'desc')
        .orderBy('event_seq', 'desc')
        .limit(query.limit)
        .execute();
      return rows.map(deadLetterFromRow);
    },
    async requestRedelivery(endpointId, query, at) {
      let q = db
        .updateTable('webhook_dead_letters')
        .set({ redeliver_requested_at: at })
        .where('endpoint_id', '=', endpointId)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('events')
              .select(sql<number>`1`.as('one'))
              .whereRef('events.directory_id', '=', 'webhook_dead_letters.directory_id')
              .whereRef('events.seq', '=', 'webhook_dead_letters.event_seq'),
          ),
        );
      q = query.eventId !== undefined ? q.where('event_id', '=', query.eventId) : q.where('redelivered_at', 'is', null);
      const result = await q.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
