/**
 * api_keys: the REST API's credentials, kept as SHA-256 only. A global key is stored with
 * organization_id '' (the column is part of the primary key) and surfaces as null.
 */
import type { ApiKey } from '../domain/api-key.js';
import type { ApiKeyRepository } from '../app/api-keys/api-key-repository.js';
import type { RepoContext } from './db-types.js';
import type { ApiKeysTable } from './schema.js';

const GLOBAL = '';

const fromRow = (row: ApiKeysTable): ApiKey => ({
  id: row.id,
  organizationId: row.organization_id === GLOBAL ? null : row.organization_id,
  name: row.name,
  keySha256: row.key_sha256,
  prefix: row.prefix,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

export function createApiKeyRepository({ db }: RepoContext): ApiKeyRepository {
  return {
    async insert(key) {
      await db
        .insertInto('api_keys')
        .values({
          organization_id: key.organizationId ?? GLOBAL,
          id: key.id,
          name: key.name,
          key_sha256: key.keySha256,
          prefix: key.prefix,
          created_at: key.createdAt,
          last_used_at: key.lastUsedAt,
          revoked_at: key.revokedAt,
        })
        .execute();
    },
    async findByHash(sha256) {
      const row = await db.selectFrom('api_keys').selectAll().where('key_sha256', '=', sha256).executeTakeFirst();
      return row ? fromRow(row) : undefined;
    },
    async findById(id) {
      const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? fromRow(row) : undefined;
    },
    async list() {
      const rows = await db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(fromRow);
    },
    async revoke(organizationId, id, at) {
      const result = await db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('organization_id', '=', organizationId ?? GLOBAL)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async markUsed(organizationId, id, at) {
      await db.updateTable('api_keys').set({ last_used_at: at }).where('organization_id', '=', organizationId ?? GLOBAL).where('id', '=', id).execute();
    },
  };
}
