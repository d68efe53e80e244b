/** portal_links, admin_users and portal_sessions: who may open the setup portal and the console. */
import type { AdminUser, PortalLink, PortalRepository, PortalSession } from '../app/portal/portal-repository.js';
import type { RepoContext } from './db-types.js';
import type { AdminUsersTable, PortalLinksTable, PortalSessionsTable } from './schema.js';

/** organization_id of a console session: the column is NOT NULL and '' names no organization. */
const CONSOLE = '';

const linkFromRow = (row: PortalLinksTable): PortalLink => ({
  id: row.id,
  organizationId: row.organization_id,
  tokenSha256: row.token_sha256,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  usedAt: row.used_at,
  usedIp: row.used_ip,
});

const adminFromRow = (row: AdminUsersTable): AdminUser => ({
  id: row.id,
  email: row.email,
  passwordHash: row.password_hash,
  createdAt: row.created_at,
  lastLoginAt: row.last_login_at,
});

const sessionFromRow = (row: PortalSessionsTable): PortalSession => ({
  idSha256: row.id_sha256,
  principal:
    row.organization_id === CONSOLE
      ? { kind: 'console', adminUserId: row.admin_user_id ?? '' }
      : { kind: 'organization', organizationId: row.organization_id, portalLinkId: row.portal_link_id ?? '' },
  csrfToken: row.csrf_token,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

export function createPortalRepository({ db }: RepoContext): PortalRepository {
  return {
    async insertLink(link) {
      await db
        .insertInto('portal_links')
        .values({
          organization_id: link.organizationId,
          id: link.id,
          token_sha256: link.tokenSha256,
          created_at: link.createdAt,
          expires_at: link.expiresAt,
          used_at: link.usedAt,
          used_ip: link.usedIp,
        })
        .execute();
    },
    async findLinkByHash(tokenSha256) {
      const row = await db.selectFrom('portal_links').selectAll().where('token_sha256', '=', tokenSha256).executeTakeFirst();
      return row ? linkFromRow(row) : undefined;
    },
    async useLink(organizationId, id, at, ip) {
      const result = await db
        .updateTable('portal_links')
        .set({ used_at: at, used_ip: ip })
        .where('organization_id', '=', organizationId)
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async listLinks(organizationId) {
      const rows = await db.selectFrom('portal_links').selectAll().where('organization_id', '=', organizationId).orderBy('id', 'desc').limit(100).execute();
      return rows.map(linkFromRow);
    },
    async insertAdmin(admin) {
      await db
        .insertInto('admin_users')
        .values({
          id: admin.id,
          email: admin.email,
          email_lower: admin.email.toLowerCase(),
          password_hash: admin.passwordHash,
          created_at: admin.createdAt,
          last_login_at: admin.lastLoginAt,
        })
        .execute();
    },
    async findAdminByEmail(email) {
      const row = await db.selectFrom('admin_users').selectAll().where('email_lower', '=', email.toLowerCase()).executeTakeFirst();
      return row ? adminFromRow(row) : undefined;
    },
    async listAdmins() {
      const rows = await db.selectFrom('admin_users').selectAll().orderBy('id').execute();
      return rows.map(adminFromRow);
    },
    async setAdminPassword(id, passwordHash) {
      const result = await db.updateTable('admin_users').set({ password_hash: passwordHash }).where('id', '=', id).executeTakeFirst();
      // A new password ends the sessions opened with the old one.
      await db.deleteFrom('portal_sessions').where('organization_id', '=', CONSOLE).where('admin_user_id', '=', id).execute();
      return Number(result.numUpdatedRows) === 1;
    },
    async markAdminLogin(id, at) {
      await db.updateTable('admin_users').set({ last_login_at: at }).where('id', '=', id).execute();
    },
    async insertSession(session) {
      const p = session.principal;
      await db
        .insertInto('portal_sessions')
        .values({
          id_sha256: session.idSha256,
          organization_id: p.kind === 'organization' ? p.organizationId : CONSOLE,
          admin_user_id: p.kind === 'console' ? p.adminUserId : null,
          portal_link_id: p.kind === 'organization' ? p.portalLinkId : null,
          csrf_token: session.csrfToken,
          created_at: session.createdAt,
          expires_at: session.expiresAt,
        })
        .execute();
    },
    async findSession(idSha256, now) {
      const row = await db.selectFrom('portal_sessions').selectAll().where('id_sha256', '=', idSha256).where('expires_at', '>', now).executeTakeFirst();
      return row ? sessionFromRow(row) : undefined;
    },
    async deleteSession(idSha256) {
      await db.deleteFrom('portal_sessions').where('id_sha256', '=', idSha256).execute();
    },
    async purgeExpired(now) {
      const sessions = await db.deleteFrom('portal_sessions').where('expires_at', '<=', now).executeTakeFirst();
      // Used or expired links are kept a week for the console's list, then removed.
      const weekAgo = new Date(new Date(now).getTime() - 7 * 24 * 3_600_000).toISOString();
      const links = await db.deleteFrom('portal_links').where('expires_at', '<=', weekAgo).executeTakeFirst();
      return Number(sessions.numDeletedRows) + Number(links.numDeletedRows);
    },
  };
}
