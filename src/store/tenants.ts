/** Organizations, directories and their SCIM bearer tokens (stored as SHA-256 only). */
import type { Directory, DirectoryStatus, Organization, Provider, ScimToken } from '../domain/model.js';
import type { DirectoryRepository, OrganizationRepository, TokenRepository } from '../app/ports.js';
import type { RepoContext } from './db-types.js';
import type { DirectoriesTable, ScimTokensTable } from './schema.js';
import { settingsFromColumn } from './directory-settings.js';

/** @internal shared with directory-read.ts */
export const directoryFromRow = (row: DirectoriesTable): Directory => ({
  id: row.id,
  organizationId: row.organization_id,
  name: row.name,
  provider: row.provider as Provider,
  status: row.status as DirectoryStatus,
  // read with the directory, so every SCIM request knows the mapping rules without a query
  settings: settingsFromColumn(row.settings),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const tokenFromRow = (row: ScimTokensTable): ScimToken => ({
  id: row.id,
  directoryId: row.directory_id,
  tokenSha256: row.token_sha256,
  prefix: row.prefix,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
  lastUsedIp: row.last_used_ip,
});

export function createOrganizationRepository({ db }: RepoContext): OrganizationRepository {
  return {
    async insert(org) {
      await db.insertInto('organizations').values({ id: org.id, name: org.name, created_at: org.createdAt, updated_at: org.updatedAt }).execute();
    },
    async findById(id) {
      const row = await db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? ({ id: row.id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at } satisfies Organization) : undefined;
    },
    async list() {
      const rows = await db.selectFrom('organizations').selectAll().orderBy('id').execute();
      return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at }));
    },
  };
}

export function createDirectoryRepository({ db }: RepoContext): DirectoryRepository {
  return {
    async insert(d) {
      await db
        .insertInto('directories')
        .values({
          id: d.id,
          organization_id: d.organizationId,
          name: d.name,
          provider: d.provider,
          status: d.status,
          event_seq: 0,
          settings: '{}',
          user_count: 0,
          group_count: 0,
          created_at: d.createdAt,
          updated_at: d.updatedAt,
        })
        .execute();
    },
    async findById(id) {
      const row = await db.selectFrom('directories').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? directoryFromRow(row) : undefined;
    },
    async listByOrganization(organizationId) {
      const rows = await db.selectFrom('directories').selectAll().where('organization_id', '=', organizationId).orderBy('id').execute();
      return rows.map(directoryFromRow);
    },
    async setStatus(id, status, at) {
      await db.updateTable('directories').set({ status, updated_at: at }).where('id', '=', id).execute();
    },
  };
}

export function createTokenRepository({ db }: RepoContext): TokenRepository {
  return {
    async insert(t) {
      await db
        .insertInto('scim_tokens')
        .values({
          directory_id: t.directoryId,
          id: t.id,
          token_sha256: t.tokenSha256,
          prefix: t.prefix,
          created_at: t.createdAt,
          expires_at: t.expiresAt,
          revoked_at: t.revokedAt,
          last_used_at: t.lastUsedAt,
          last_used_ip: t.lastUsedIp,
        })
        .execute();
    },
    async findCredentials(directoryId, now) {
      const rows = await db
        .selectFrom('directories as d')
        .leftJoin('scim_tokens as t', (join) =>
          join
            .onRef('t.directory_id', '=', 'd.id')
            .on('t.revoked_at', 'is', null)
            .on((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', now)])),
        )
        .selectAll('d')
        .select([
          't.id as token_id',
          't.token_sha256',
          't.prefix',
          't.created_at as token_created_at',
          't.expires_at',
          't.revoked_at',
          't.last_used_at',
          't.last_used_ip',
        ])
        .where('d.id', '=', directoryId)
        .execute();
      if (rows.length === 0) return undefined;
      const tokens = rows
        .filter((r) => r.token_id !== null)
        .map((r) =>
          tokenFromRow({
            directory_id: r.id,
            id: r.token_id!,
            token_sha256: r.token_sha256!,
            prefix: r.prefix!,
            created_at: r.token_created_at!,
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
            last_used_at: r.last_used_at,
            last_used_ip: r.last_used_ip,
          }),
        );
      return { directory: directoryFromRow(rows[0]!), tokens };
    },
    async listUsable(directoryId, now) {
      const rows = await db
        .selectFrom('scim_tokens')
        .selectAll()
        .where('directory_id', '=', directoryId)
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .orderBy('id')
        .execute();
      return rows.map(tokenFromRow);
    },
    async retireOthers(directoryId, keepTokenId, change) {
      let query = db
        .updateTable('scim_tokens')
        .where('directory_id', '=', directoryId)
        .where('id', '<>', keepTokenId)
        .where('revoked_at', 'is', null);
      if ('expiresAt' in change) {
        // never extend a token that already expires sooner
        query = query
          .set({ expires_at: change.expiresAt })
          .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', change.expiresAt)]));
      } else {
        query = query.set({ revoked_at: change.revokedAt });
      }
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async markUsed(directoryId, tokenId, at, ip) {
      await db.updateTable('scim_tokens').set({ last_used_at: at, last_used_ip: ip }).where('directory_id', '=', directoryId).where('id', '=', tokenId).execute();
    },
    async listAll(directoryId) {
      const rows = await db.selectFrom('scim_tokens').selectAll().where('directory_id', '=', directoryId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
      return rows.map(tokenFromRow);
    },
    async revoke(directoryId, tokenId, at) {
      // Only a usable token: revoking is the decision to stop one that still works, and the
      // answer tells the caller whether anything changed.
      const result = await db
        .updateTable('scim_tokens')
        .set({ revoked_at: at })
        .where('directory_id', '=', directoryId)
        .where('id', '=', tokenId)
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
