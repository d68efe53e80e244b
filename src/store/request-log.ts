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

export function createRequestLog({ db }: RepoContext): RequestLog {
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
      const rows = await query.orderBy('id', 'desc').limit(options.limit).execute();
      return rows.map(fromRow);
    },
    async purge(directoryId, before) {
      const result = await db.deleteFrom('scim_request_log').where('directory_id', '=', directoryId).where('at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
