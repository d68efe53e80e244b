/** user_roles: the roles each user holds, derived from groups by the directory's mapping rules. */
import type { RoleRepository } from '../app/ports.js';
import { chunks, type RepoContext } from './db-types.js';

export function createRoleRepository({ db }: RepoContext): RoleRepository {
  return {
    async rolesOf(directoryId, userIds) {
      const result = new Map<string, string[]>(userIds.map((id) => [id, []]));
      for (const part of chunks([...new Set(userIds)])) {
        const rows = await db
          .selectFrom('user_roles')
          .select(['user_id', 'role'])
          .where('directory_id', '=', directoryId)
          .where('user_id', 'in', part)
          .orderBy('role')
          .execute();
        for (const row of rows) result.get(row.user_id)!.push(row.role);
      }
      return result;
    },
  };
}
