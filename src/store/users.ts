/**
 * directory_users and its email index rows. The SCIM resource is kept whole (as JSON) next
 * to the columns that lookups, uniqueness and filters use.
 */
import { ServiceError } from '../domain/errors.js';
import { sql } from 'kysely';
import type { StoredUser } from '../domain/model.js';
import type { UserRef } from '../domain/events.js';
import { emailsOf } from '../app/directory/normalized.js';
import type { JsonObject } from '../scim/types.js';
import type { ListResult, Page, UserRepository } from '../app/ports.js';
import type { Filter } from '../scim/types.js';
import { chunks, type RepoContext } from './db-types.js';
import { compileFilter } from './filter-sql.js';
import { adjustCount, countRows, directoryState, pageOf, totalOf } from './paging.js';
import type { DirectoryUsersTable, DirectoryUserEmailsTable } from './schema.js';

function toRow(user: StoredUser): DirectoryUsersTable {
  return {
    directory_id: user.directoryId,
    id: user.id,
    user_name: user.userName,
    user_name_lower: user.userName.toLowerCase(),
    external_id: user.externalId,
    display_name: user.displayName,
    display_name_lower: user.displayName?.toLowerCase() ?? null,
    active: user.active ? 1 : 0,
    resource: JSON.stringify(user.resource),
    version: user.version,
    source: user.source,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    deleted_at: user.deletedAt,
  };
}

/** @internal shared with directory-read.ts */
export function fromRow(row: DirectoryUsersTable): StoredUser {
  return {
    directoryId: row.directory_id,
    id: row.id,
    userName: row.user_name,
    externalId: row.external_id,
    displayName: row.display_name,
    active: Boolean(row.active),
    resource: JSON.parse(row.resource) as JsonObject,
    version: row.version,
    source: row.source as StoredUser['source'],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}

/** The email rows that index emails.value / type / primary for filters. */
function emailRows(user: StoredUser): DirectoryUserEmailsTable[] {
  const emails = user.resource['emails'];
  if (!Array.isArray(emails)) return [];
  const rows: DirectoryUserEmailsTable[] = [];
  emails.forEach((email, position) => {
    if (!email || typeof email !== 'object' || Array.isArray(email)) return;
    const value = email['value'];
    if (typeof value !== 'string') return;
    rows.push({
      directory_id: user.directoryId,
      user_id: user.id,
      position,
      value,
      value_lower: value.toLowerCase(),
      type: typeof email['type'] === 'string' ? email['type'].toLowerCase() : null,
      is_primary: email['primary'] === true ? 1 : 0,
    });
  });
  return rows;
}

export function createUserRepository({ db, dialect }: RepoContext): UserRepository {
  async function writeEmails(user: StoredUser, replace: boolean): Promise<void> {
    if (replace) {
      await db.deleteFrom('directory_user_emails').where('directory_id', '=', user.directoryId).where('user_id', '=', user.id).execute();
    }
    const rows = emailRows(user);
    if (rows.length > 0) await db.insertInto('directory_user_emails').values(rows).execute();
  }

  function conflict(user: StoredUser, cause: unknown): ServiceError {
    return new ServiceError('uniqueness_conflict', `userName "${user.userName}" is already taken in this directory`, { cause });
  }

  return {
    async findById(directoryId, id, options) {
      let query = db.selectFrom('directory_users').selectAll().where('directory_id', '=', directoryId).where('id', '=', id).where('deleted_at', 'is', null);
      if (options?.forUpdate && dialect.supportsForUpdate) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      return row ? fromRow(row) : undefined;
    },

    async findForCreate(directoryId, match, options) {
      let query = db
        .selectFrom('directory_users')
        .selectAll()
        .where('directory_id', '=', directoryId)
        .where('deleted_at', 'is', null)
        .where((eb) => {
          const sameName = eb('user_name_lower', '=', match.userName.toLowerCase());
          return match.externalId === null
            ? sameName
            : eb.or([sameName, eb.and([eb('external_id', '=', match.externalId), eb('source', '=', 'saml_jit')])]);
        })
        // Locked in id order (the sort runs below the lock), so two creates never lock in opposite orders.
        .orderBy('id');
      if (options?.forUpdate && dialect.supportsForUpdate) query = query.forUpdate();
      return (await query.execute()).map(fromRow);
    },

    async insert(user) {
      try {
        await db.insertInto('directory_users').values(toRow(user)).execute();
      } catch (error) {
        if (dialect.isUniqueViolation(error)) throw conflict(user, error);
        throw error;
      }
      await writeEmails(user, false);
      await adjustCount(db, user.directoryId, 'user_count', 1);
    },

    async update(user, options) {
      const row = toRow(user);
      try {
        await db
          .updateTable('directory_users')
          .set({
            user_name: row.user_name,
            user_name_lower: row.user_name_lower,
            external_id: row.external_id,
            display_name: row.display_name,
            display_name_lower: row.display_name_lower,
            active: row.active,
            resource: row.resource,
            version: row.version,
            // A SCIM write makes a user first created by SAML JIT sign-in SCIM-managed (app/scim/adopt-jit-user.ts).
            source: row.source,
            updated_at: row.updated_at,
          })
          .where('directory_id', '=', user.directoryId)
          .where('id', '=', user.id)
          .execute();
      } catch (error) {
        if (dialect.isUniqueViolation(error)) throw conflict(user, error);
        throw error;
      }
      if (options.emailsChanged) await writeEmails(user, true);
    },

    async markDeleted(directoryId, id, at) {
      const result = await db
        .updateTable('directory_users')
        .set({ deleted_at: at, updated_at: at })
        .where('directory_id', '=', directoryId)
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) await adjustCount(db, directoryId, 'user_count', -1);
      await db.deleteFrom('directory_user_emails').where('directory_id', '=', directoryId).where('user_id', '=', id).execute();
    },

    async list(directoryId: string, filter: Filter | undefined, page: Page): Promise<ListResult<StoredUser>> {
      const state = await directoryState(db, directoryId, 'user_count');
      const condition = filter ? compileFilter('User', filter, dialect) : undefined;
      let base = db.selectFrom('directory_users as u').where('u.directory_id', '=', directoryId).where('u.deleted_at', 'is', null);
      if (condition) base = base.where(condition);
      const items = page.limit > 0 ? (await pageOf(base.selectAll('u'), 'u.id', page, condition !== undefined, state).execute()).map(fromRow) : [];
      const total = await totalOf(items.length, page, () =>
        condition ? countRows(base) : Promise.resolve(state.liveCount),
      );
      return { total, items, version: state.version };
    },

    async resolveReference(directoryId, value) {
      const row = await db
        .selectFrom('directory_users')
        .select('id')
        .where('directory_id', '=', directoryId)
        .where('deleted_at', 'is', null)
        .where((eb) => eb.or([eb('id', '=', value), eb('external_id', '=', value), eb('user_name_lower', '=', value.toLowerCase())]))
        // Several users may match different forms; our id wins, then the IdP's id, then userName.
        .orderBy(sql`case when id = ${value} then 0 when external_id = ${value} then 1 else 2 end`)
        .orderBy('id')
        .executeTakeFirst();
      return row?.id;
    },

    async refsOf(directoryId, ids) {
      const refs = new Map<string, UserRef>();
      for (const part of chunks([...new Set(ids)])) {
        const rows = await db
          .selectFrom('directory_users')
          .select(['id', 'user_name', 'resource'])
          .where('directory_id', '=', directoryId)
          .where('id', 'in', part)
          .execute();
        for (const row of rows) {
          const emails = emailsOf(JSON.parse(row.resource) as JsonObject);
          refs.set(row.id, { id: row.id, userName: row.user_name, email: (emails.find((e) => e.primary) ?? emails[0])?.value ?? null });
        }
      }
      return refs;
    },

    async findExistingIds(directoryId, ids, options) {
      const found = new Set<string>();
      for (const part of chunks([...new Set(ids)])) {
        let query = db
          .selectFrom('directory_users')
          .select('id')
          .where('directory_id', '=', directoryId)
          .where('id', 'in', part)
          .where('deleted_at', 'is', null);
        if (options?.forShare && dialect.supportsForUpdate) query = query.forShare();
        const rows = await query.execute();
        for (const row of rows) found.add(row.id);
      }
      return found;
    },
  };
}
