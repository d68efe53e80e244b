/** directory_groups: group attributes; membership lives in group_memberships (memberships.ts). */
import { ServiceError } from '../domain/errors.js';
import type { StoredGroup } from '../domain/model.js';
import type { GroupRepository } from '../app/ports.js';
import type { JsonObject } from '../scim/types.js';
import type { RepoContext } from './db-types.js';
import { compileFilter } from './filter-sql.js';
import type { DirectoryGroupsTable } from './schema.js';
import { adjustCount, countRows, directoryState, pageOf, totalOf } from './paging.js';

function toRow(group: StoredGroup): DirectoryGroupsTable {
  return {
    directory_id: group.directoryId,
    id: group.id,
    display_name: group.displayName,
    display_name_lower: group.displayName.toLowerCase(),
    external_id: group.externalId,
    resource: JSON.stringify(group.resource),
    version: group.version,
    created_at: group.createdAt,
    updated_at: group.updatedAt,
    deleted_at: group.deletedAt,
  };
}

/** @internal shared with directory-read.ts */
export function fromRow(row: DirectoryGroupsTable): StoredGroup {
  return {
    directoryId: row.directory_id,
    id: row.id,
    displayName: row.display_name,
    externalId: row.external_id,
    resource: JSON.parse(row.resource) as JsonObject,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
  };
}

export function createGroupRepository({ db, dialect }: RepoContext): GroupRepository {
  function conflict(group: StoredGroup, cause: unknown): ServiceError {
    return new ServiceError('uniqueness_conflict', `a group named "${group.displayName}" already exists in this directory`, { cause });
  }

  return {
    async findById(directoryId, id, options) {
      let query = db.selectFrom('directory_groups').selectAll().where('directory_id', '=', directoryId).where('id', '=', id).where('deleted_at', 'is', null);
      if (options?.forUpdate && dialect.supportsForUpdate) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      return row ? fromRow(row) : undefined;
    },

    async findByDisplayName(directoryId, displayName, options) {
      let query = db
        .selectFrom('directory_groups')
        .selectAll()
        .where('directory_id', '=', directoryId)
        .where('display_name_lower', '=', displayName.toLowerCase())
        .where('deleted_at', 'is', null);
      if (options?.forUpdate && dialect.supportsForUpdate) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      return row ? fromRow(row) : undefined;
    },

    async insert(group) {
      try {
        await db.insertInto('directory_groups').values(toRow(group)).execute();
      } catch (error) {
        if (dialect.isUniqueViolation(error)) throw conflict(group, error);
        throw error;
      }
      await adjustCount(db, group.directoryId, 'group_count', 1);
    },

    async update(group) {
      const row = toRow(group);
      try {
        await db
          .updateTable('directory_groups')
          .set({
            display_name: row.display_name,
            display_name_lower: row.display_name_lower,
            external_id: row.external_id,
            resource: row.resource,
            version: row.version,
            updated_at: row.updated_at,
          })
          .where('directory_id', '=', group.directoryId)
          .where('id', '=', group.id)
          .execute();
      } catch (error) {
        if (dialect.isUniqueViolation(error)) throw conflict(group, error);
        throw error;
      }
    },

    async markDeleted(directoryId, id, at) {
      const result = await db
        .updateTable('directory_groups')
        .set({ deleted_at: at, updated_at: at })
        .where('directory_id', '=', directoryId)
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) await adjustCount(db, directoryId, 'group_count', -1);
    },

    async list(directoryId, filter, page) {
      const state = await directoryState(db, directoryId, 'group_count');
      const condition = filter ? compileFilter('Group', filter, dialect) : undefined;
      let base = db.selectFrom('directory_groups as g').where('g.directory_id', '=', directoryId).where('g.deleted_at', 'is', null);
      if (condition) base = base.where(condition);
      const items = page.limit > 0 ? (await pageOf(base.selectAll('g'), 'g.id', page, condition !== undefined, state).execute()).map(fromRow) : [];
      const total = await totalOf(items.length, page, () =>
        condition ? countRows(base) : Promise.resolve(state.liveCount),
      );
      return { total, items, version: state.version };
    },
  };
}
