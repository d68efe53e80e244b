/** scim_request_log: what each SCIM request asked and how it ended, per directory, with retention. */
import type { RequestLog, RequestLogEntry } from '../app/ports.js';
import { chunks, type RepoContext } from './db-types.js';
import type { ScimRequestLogTable } from './schema.js';

const fromRow = (row: ScimRequestLogTable): RequestLogEntry => ({
  directoryId: row.directory_id,
  id: row.id,
  at: row.at,
  requestId: row.request_id,
  method: row.method,
  path: row.path,
  query: row.query,
  status: row.status,
  durationMs: row.duration_ms,
  scimType: row.scim_type,
  detail: row.detail,
  requestBody: row.request_body,
  clientIp: row.client_ip,
});

/** Where a search looks: the URL (a user's id), the decoded query (filters) and the body (userName). */
const SEARCHED = ['path', 'query', 'request_body'] as const;

export function createRequestLog({ db, dialect }: RepoContext): RequestLog {
  return {
    async recordMany(entries) {
      for (const part of chunks(entries, 100)) {
        await db
          .insertInto('scim_request_log')
          .values(
            part.map((e) => ({
              directory_id: e.directoryId,
              id: e.id,
              at: e.at,
              request_id: e.requestId,
              method: e.method,
              path: e.path,
              query: e.query,
              status: e.status,
              duration_ms: e.durationMs,
              scim_type: e.scimType,
              detail: e.detail,
              request_body: e.requestBody,
              client_ip: e.clientIp,
            })),
          )
          .execute();
      }
    },
    async list(directoryId, options) {
      let query = db.selectFrom('scim_request_log').selectAll().where('directory_id', '=', directoryId);
      if (options.errorsOnly) query = query.where('status', '>=', 400);
      if (options.method) query = query.where('method', '=', options.method.toUpperCase());
      if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
      // A substring test (instr/strpos), not LIKE: the text is matched literally, with no
      // wildcards to escape. Both sides lower-cased; SQLite's lower() folds ASCII letters only.
      const needle = options.search?.toLowerCase();
      if (needle) query = query.where((eb) => eb.or(SEARCHED.map((column) => dialect.contains(eb.fn<string | null>('lower', [eb.ref(column)]), needle))));
      const rows = await query.orderBy('id', 'desc').limit(options.limit).execute();
      return rows.map(fromRow);
    },
    async summary(directoryId, since) {
      const log = db.selectFrom('scim_request_log').where('directory_id', '=', directoryId);
      const [counts, last, lastError] = await Promise.all([
        // One pass over index scim_request_log_errors (directory_id, status, at), which holds every
        // column these counts read. `total` is linear in the entries kept, bounded by retention.
        log
          .select((eb) => [
            eb.fn.countAll<number>().as('total'),
            eb.fn.count<number>(eb.case().when('at', '>=', since).then(1).end()).as('since'),
            eb.fn.count<number>(eb.case().when(eb.and([eb('status', '>=', 400), eb('at', '>=', since)])).then(1).end()).as('errors'),
          ])
          .executeTakeFirstOrThrow(),
        log.selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst(),
        // Failed requests only, through scim_request_log_errors: as many rows as errors, not requests.
        log.selectAll().where('status', '>=', 400).orderBy('at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst(),
      ]);
      return {
        total: Number(counts.total),
        lastRequestAt: last?.at ?? null,
        lastStatus: last ? Number(last.status) : null,
        lastClientIp: last?.client_ip ?? null,
        requestsSince: Number(counts.since),
        errorsSince: Number(counts.errors),
        lastErrorAt: lastError?.at ?? null,
        lastError: lastError ? fromRow(lastError) : null,
      };
    },
    async findByRequestId(directoryId, requestId) {
      // No ORDER BY: with one, SQLite walks the primary key instead of index scim_request_log_request.
      // A request id has one entry unless a client reused its X-Request-Id; then the latest wins.
      const rows = await db.selectFrom('scim_request_log').selectAll().where('directory_id', '=', directoryId).where('request_id', '=', requestId).execute();
      const latest = rows.reduce<(typeof rows)[number] | undefined>((best, row) => (!best || row.id > best.id ? row : best), undefined);
      return latest ? fromRow(latest) : undefined;
    },
    async purge(directoryId, before) {
      const result = await db.deleteFrom('scim_request_log').where('directory_id', '=', directoryId).where('at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
