/**
 * group_memberships: one row per (group, user). Changes are deltas — adding one member to a
 * group of 100,000 touches one row — and bulk reads are one query per page, never per row.
 */
import type { GroupMember } from '../domain/model.js';
import type { MembershipRepository } from '../app/ports.js';
import { chunks, type RepoContext } from './db-types.js';

export function createMembershipRepository({ db }: RepoContext): MembershipRepository {
  return {
    async membersOf(directoryId, groupIds) {
      const result = new Map<string, GroupMember[]>(groupIds.map((id) => [id, []]));
      for (const part of chunks([...new Set(groupIds)])) {
        const rows = await db
          .selectFrom('group_memberships as m')
          .innerJoin('directory_users as u', (join) => join.onRef('u.directory_id', '=', 'm.directory_id').onRef('u.id', '=', 'm.user_id'))
          .select(['m.group_id', 'm.user_id', 'u.display_name', 'u.user_name'])
          .where('m.directory_id', '=', directoryId)
          .where('m.group_id', 'in', part)
          .where('u.deleted_at', 'is', null)
          .orderBy('m.group_id')
          .orderBy('m.user_id')
          .execute();
        for (const row of rows) result.get(row.group_id)!.push({ userId: row.user_id, display: row.display_name ?? row.user_name });
      }
      return result;
    },

    async memberIds(directoryId, groupId) {
      const rows = await db.selectFrom('group_memberships').select('user_id').where('directory_id', '=', directoryId).where('group_id', '=', groupId).execute();
      return rows.map((r) => r.user_id);
    },

    async add(directoryId, groupId, userIds, at) {
      const wanted = [...new Set(userIds)];
      const added = new Set<string>();
      for (const part of chunks(wanted)) {
        const rows = await db
          .insertInto('group_memberships')
          .values(part.map((userId) => ({ directory_id: directoryId, group_id: groupId, user_id: userId, created_at: at })))
          .onConflict((oc) => oc.columns(['directory_id', 'group_id', 'user_id']).doNothing())
          .returning('user_id')
          .execute();
        for (const row of rows) added.add(row.user_id);
      }
      return wanted.filter((id) => added.has(id));
    },

    async remove(directoryId, groupId, userIds) {
      const wanted = [...new Set(userIds)];
      const removed = new Set<string>();
      for (const part of chunks(wanted)) {
        const rows = await db
          .deleteFrom('group_memberships')
          .where('directory_id', '=', directoryId)
          .where('group_id', '=', groupId)
          .where('user_id', 'in', part)
          .returning('user_id')
          .execute();
        for (const row of rows) removed.add(row.user_id);
      }
      return wanted.filter((id) => removed.has(id));
    },

    async countMembers(directoryId, groupId) {
      const row = await db
        .selectFrom('group_memberships')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('directory_id', '=', directoryId)
        .where('group_id', '=', groupId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async clear(directoryId, groupId) {
      const result = await db.deleteFrom('group_memberships').where('directory_id', '=', directoryId).where('group_id', '=', groupId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async removeUserEverywhere(directoryId, userId) {
      const rows = await db.deleteFrom('group_memberships').where('directory_id', '=', directoryId).where('user_id', '=', userId).returning('group_id').execute();
      return rows.map((r) => r.group_id);
    },

    async groupsOf(directoryId, userIds) {
      const result = new Map<string, { id: string; displayName: string }[]>(userIds.map((id) => [id, []]));
      for (const part of chunks([...new Set(userIds)])) {
        const rows = await db
          .selectFrom('group_memberships as m')
          .innerJoin('directory_groups as g', (join) => join.onRef('g.directory_id', '=', 'm.directory_id').onRef('g.id', '=', 'm.group_id'))
          .select(['m.user_id', 'g.id', 'g.display_name'])
          .where('m.directory_id', '=', directoryId)
          .where('m.user_id', 'in', part)
          .where('g.deleted_at', 'is', null)
          .orderBy('g.id')
          .execute();
        for (const row of rows) result.get(row.user_id)!.push({ id: row.id, displayName: row.display_name });
      }
      return result;
    },
  };
}
