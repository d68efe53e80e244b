/**
 * SAML single sign-on tables: sso_connections, organization_domains (and organizations.sso_policy),
 * sso_identities, sso_requests, sso_replay, sso_codes and sso_attempts. Single use is enforced by the
 * database, not by a read-then-write: a request or code is consumed by one conditional UPDATE
 * (`… WHERE used_at IS NULL AND expires_at > now RETURNING *`), and an assertion id is remembered by
 * an INSERT that skips a primary-key conflict, so of two concurrent callers exactly one wins on both
 * dialects (PostgreSQL re-checks the WHERE after the row lock; SQLite has one writer).
 */
import type { SsoCodeRecord, SsoRepository, SsoRequestRecord } from '../app/sso/sso-repository.js';
import { ServiceError } from '../domain/errors.js';
import type { SsoAttempt, SsoConnection, SsoFlow, SsoMetadataSource, SsoPolicy, SsoProfile } from '../domain/sso.js';
import type { RepoContext } from './db-types.js';
import type { SsoAttemptsTable, SsoCodesTable, SsoConnectionsTable, SsoRequestsTable } from './schema.js';

const jsonArray = (text: string): string[] => {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
};

const connectionFromRow = (row: SsoConnectionsTable): SsoConnection => ({
  id: row.id,
  organizationId: row.organization_id,
  name: row.name,
  directoryId: row.directory_id,
  status: row.status === 'inactive' ? 'inactive' : 'active',
  idpEntityId: row.idp_entity_id,
  idpSsoUrl: row.idp_sso_url,
  idpCertificates: jsonArray(row.idp_certificates),
  wantAuthnRequestsSigned: Number(row.want_authn_requests_signed) === 1,
  metadataSource: row.metadata_source as SsoMetadataSource,
  metadataUrl: row.metadata_url,
  metadataFetchedAt: row.metadata_fetched_at,
  allowIdpInitiated: Number(row.allow_idp_initiated) === 1,
  redirectUrls: jsonArray(row.redirect_urls),
  defaultRedirectUrl: row.default_redirect_url,
  spPrivateKeyPem: row.sp_private_key,
  spCertificate: row.sp_certificate,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Every column but the keys (organization_id, id), which an update never changes. */
const connectionColumns = (c: SsoConnection) => ({
  name: c.name,
  directory_id: c.directoryId,
  status: c.status,
  idp_entity_id: c.idpEntityId,
  idp_sso_url: c.idpSsoUrl,
  idp_certificates: JSON.stringify(c.idpCertificates),
  want_authn_requests_signed: c.wantAuthnRequestsSigned ? 1 : 0,
  metadata_source: c.metadataSource,
  metadata_url: c.metadataUrl,
  metadata_fetched_at: c.metadataFetchedAt,
  allow_idp_initiated: c.allowIdpInitiated ? 1 : 0,
  redirect_urls: JSON.stringify(c.redirectUrls),
  default_redirect_url: c.defaultRedirectUrl,
  sp_private_key: c.spPrivateKeyPem,
  sp_certificate: c.spCertificate,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
});

const requestFromRow = (row: SsoRequestsTable): SsoRequestRecord => ({
  id: row.id,
  connectionId: row.connection_id,
  redirectUri: row.redirect_uri,
  state: row.state,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  usedAt: row.used_at,
});

const codeFromRow = (row: SsoCodesTable): SsoCodeRecord => ({
  codeSha256: row.code_sha256,
  organizationId: row.organization_id,
  connectionId: row.connection_id,
  profile: JSON.parse(row.profile) as SsoProfile,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  usedAt: row.used_at,
});

const attemptFromRow = (row: SsoAttemptsTable): SsoAttempt => ({
  id: row.id,
  connectionId: row.connection_id,
  at: row.at,
  correlationId: row.correlation_id,
  flow: row.flow as SsoFlow,
  outcome: row.outcome === 'succeeded' ? 'succeeded' : 'failed',
  failureCode: row.failure_code,
  detail: row.detail,
  want: row.want,
  got: row.got,
  subject: row.subject,
  userId: row.user_id,
  clientIp: row.client_ip,
});

const normalizeDomains = (domains: string[]): string[] => [...new Set(domains.map((d) => d.trim().toLowerCase()).filter((d) => d.length > 0))].sort();

export function createSsoRepository({ db, dialect }: RepoContext): SsoRepository {
  return {
    async insertConnection(c) {
      await db
        .insertInto('sso_connections')
        .values({ organization_id: c.organizationId, id: c.id, ...connectionColumns(c) })
        .execute();
    },
    async updateConnection(c) {
      const { created_at: _created, ...columns } = connectionColumns(c);
      await db.updateTable('sso_connections').set(columns).where('organization_id', '=', c.organizationId).where('id', '=', c.id).execute();
    },
    async deleteConnection(organizationId, id) {
      const result = await db.deleteFrom('sso_connections').where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) return false;
      // Everything keyed by the connection goes with it (the directory and its users stay).
      await db.deleteFrom('sso_identities').where('connection_id', '=', id).execute();
      await db.deleteFrom('sso_requests').where('connection_id', '=', id).execute();
      await db.deleteFrom('sso_replay').where('connection_id', '=', id).execute();
      await db.deleteFrom('sso_codes').where('connection_id', '=', id).execute();
      await db.deleteFrom('sso_attempts').where('connection_id', '=', id).execute();
      return true;
    },
    async findConnection(id, options) {
      let query = db.selectFrom('sso_connections').selectAll().where('id', '=', id);
      if (options?.forUpdate && dialect.supportsForUpdate) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      return row ? connectionFromRow(row) : undefined;
    },
    async listConnections(organizationId) {
      const rows = await db.selectFrom('sso_connections').selectAll().where('organization_id', '=', organizationId).orderBy('id').execute();
      return rows.map(connectionFromRow);
    },

    async getPolicy(organizationId) {
      const row = await db.selectFrom('organizations').select('sso_policy').where('id', '=', organizationId).executeTakeFirst();
      if (!row) return undefined;
      return row.sso_policy === 'scim_only' ? 'scim_only' : 'jit';
    },
    async setPolicy(organizationId, policy: SsoPolicy) {
      await db.updateTable('organizations').set({ sso_policy: policy }).where('id', '=', organizationId).execute();
    },
    async setDomains(organizationId, domains, at) {
      const wanted = normalizeDomains(domains);
      if (wanted.length > 0) {
        const held = await db
          .selectFrom('organization_domains')
          .select('domain')
          .where('domain', 'in', wanted)
          .where('organization_id', '<>', organizationId)
          .orderBy('domain')
          .execute();
        if (held.length > 0) return { taken: held.map((r) => r.domain) };
      }
      const current = (await db.selectFrom('organization_domains').select('domain').where('organization_id', '=', organizationId).execute()).map((r) => r.domain);
      const removed = current.filter((d) => !wanted.includes(d));
      const added = wanted.filter((d) => !current.includes(d));
      if (removed.length > 0) {
        await db.deleteFrom('organization_domains').where('organization_id', '=', organizationId).where('domain', 'in', removed).execute();
      }
      if (added.length > 0) {
        // Another organization may claim one of them between the check above and here: the primary
        // key decides, and the loser throws so that its transaction (callers use one) writes nothing.
        const inserted = await db
          .insertInto('organization_domains')
          .values(added.map((domain) => ({ domain, organization_id: organizationId, created_at: at })))
          .onConflict((oc) => oc.column('domain').doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== added.length) {
          throw new ServiceError('uniqueness_conflict', 'another organization claimed one of these domains at the same time; try again');
        }
      }
      return { taken: [] };
    },
    async listDomains(organizationId) {
      const rows = await db.selectFrom('organization_domains').select('domain').where('organization_id', '=', organizationId).orderBy('domain').execute();
      return rows.map((r) => r.domain);
    },
    async findOrganizationByDomain(domain) {
      const row = await db.selectFrom('organization_domains').select('organization_id').where('domain', '=', domain.trim().toLowerCase()).executeTakeFirst();
      return row?.organization_id;
    },

    async findIdentity(connectionId, subject) {
      const row = await db
        .selectFrom('sso_identities')
        .select(['user_id', 'directory_id'])
        .where('connection_id', '=', connectionId)
        .where('subject', '=', subject)
        .executeTakeFirst();
      return row ? { userId: row.user_id, directoryId: row.directory_id } : undefined;
    },
    async linkIdentity(connectionId, subject, directoryId, userId, at) {
      await db
        .insertInto('sso_identities')
        .values({ connection_id: connectionId, subject, directory_id: directoryId, user_id: userId, created_at: at, last_sign_in_at: at })
        .onConflict((oc) => oc.columns(['connection_id', 'subject']).doUpdateSet({ directory_id: directoryId, user_id: userId, last_sign_in_at: at }))
        .execute();
    },

    async insertRequest(r) {
      await db
        .insertInto('sso_requests')
        .values({
          id: r.id,
          connection_id: r.connectionId,
          redirect_uri: r.redirectUri,
          state: r.state,
          created_at: r.createdAt,
          expires_at: r.expiresAt,
          used_at: r.usedAt,
        })
        .execute();
    },
    async consumeRequest(connectionId, id, now) {
      const row = await db
        .updateTable('sso_requests')
        .set({ used_at: now })
        .where('id', '=', id)
        .where('connection_id', '=', connectionId)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returningAll()
        .executeTakeFirst();
      return row ? requestFromRow(row) : undefined;
    },

    async rememberAssertion(connectionId, assertionId, expiresAt) {
      // ON CONFLICT DO NOTHING rather than catching the violation: on PostgreSQL a failed INSERT would
      // abort the sign-in's transaction, which still has to record the refused attempt.
      try {
        const result = await db
          .insertInto('sso_replay')
          .values({ connection_id: connectionId, assertion_id: assertionId, expires_at: expiresAt })
          .onConflict((oc) => oc.columns(['connection_id', 'assertion_id']).doNothing())
          .executeTakeFirst();
        return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
      } catch (error) {
        if (dialect.isUniqueViolation(error)) return false;
        throw error;
      }
    },

    async insertCode(c) {
      await db
        .insertInto('sso_codes')
        .values({
          code_sha256: c.codeSha256,
          organization_id: c.organizationId,
          connection_id: c.connectionId,
          profile: JSON.stringify(c.profile),
          created_at: c.createdAt,
          expires_at: c.expiresAt,
          used_at: c.usedAt,
        })
        .execute();
    },
    async consumeCode(codeSha256, now) {
      const row = await db
        .updateTable('sso_codes')
        .set({ used_at: now })
        .where('code_sha256', '=', codeSha256)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returningAll()
        .executeTakeFirst();
      return row ? codeFromRow(row) : undefined;
    },

    async recordAttempt(a) {
      await db
        .insertInto('sso_attempts')
        .values({
          connection_id: a.connectionId,
          id: a.id,
          at: a.at,
          correlation_id: a.correlationId,
          flow: a.flow,
          outcome: a.outcome,
          failure_code: a.failureCode,
          detail: a.detail,
          want: a.want,
          got: a.got,
          subject: a.subject,
          user_id: a.userId,
          client_ip: a.clientIp,
        })
        .execute();
    },
    async listAttempts(connectionId, options) {
      // Newest first by id (ids are time-ordered); beforeId continues a page.
      let query = db.selectFrom('sso_attempts').selectAll().where('connection_id', '=', connectionId);
      if (options.failuresOnly) query = query.where('outcome', '=', 'failed');
      if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
      const search = options.search?.trim();
      if (search) {
        // A reference is read aloud or retyped: compare without dashes and case. Substring tests
        // (instr/strpos), not LIKE, so the text is matched literally.
        const reference = search.toUpperCase().replace(/[^0-9A-Z]/g, '');
        query = query.where((eb) =>
          eb.or([
            ...(reference.length >= 4 ? [dialect.contains(eb.fn<string>('replace', [eb.ref('correlation_id'), eb.val('-'), eb.val('')]), reference)] : []),
            eb('id', '=', search),
            eb('user_id', '=', search),
            dialect.contains(eb.fn<string | null>('lower', [eb.ref('subject')]), search.toLowerCase()),
          ]),
        );
      }
      const rows = await query.orderBy('id', 'desc').limit(options.limit).execute();
      return rows.map(attemptFromRow);
    },

    async purgeExpired(now, attemptsBefore) {
      const results = [
        await db.deleteFrom('sso_requests').where('expires_at', '<=', now).executeTakeFirst(),
        await db.deleteFrom('sso_replay').where('expires_at', '<=', now).executeTakeFirst(),
        await db.deleteFrom('sso_codes').where('expires_at', '<=', now).executeTakeFirst(),
        await db.deleteFrom('sso_attempts').where('at', '<', attemptsBefore).executeTakeFirst(),
      ];
      return results.reduce((sum, r) => sum + Number(r.numDeletedRows), 0);
    },
  };
}
