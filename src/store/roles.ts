/**
 * user_roles: the roles each user holds, derived from its groups by the directory's rules
 * (a name prefix, explicit group -> role mappings). Recomputing is set-based: one INSERT ...
 * SELECT and one DELETE ... NOT EXISTS per 500 users (or per group, or per directory), whatever
 * the number of users, so a settings change on 100,000 users is two statements.
 *
 * The role of a group is computed in SQL exactly as app/rules/roles.ts computes it in memory:
 * the prefix is compared on display_name_lower, and the role is the rest of display_name,
 * both counted in characters.
 */
import { sql, type RawBuilder } from 'kysely';
import type { RoleChanges, RoleRepository, RoleScope } from '../app/ports.js';
import type { DirectorySettings } from '../domain/directory-settings.js';
import { chunks, type RepoContext } from './db-types.js';

type Rules = DirectorySettings['roles'];
type Condition = RawBuilder<unknown>;

interface CompiledRules {
  prefix: { lower: string; length: number } | null;
  mappings: { groupLower: string; role: string }[];
}

function compile(rules: Rules): CompiledRules {
  const lower = rules.prefix?.toLowerCase();
  return {
    prefix: lower ? { lower, length: [...lower].length } : null,
    mappings: rules.mappings.map((m) => ({ groupLower: m.group.toLowerCase(), role: m.role })),
  };
}

const MEMBERSHIPS = sql`group_memberships m join directory_groups g on g.directory_id = m.directory_id and g.id = m.group_id`;

/** (user_id, role) pairs the rules give the users matching `users` (a condition on m.user_id). */
function desired(directoryId: string, rules: CompiledRules, users: Condition): RawBuilder<unknown> {
  const where = sql`m.directory_id = ${directoryId} and g.deleted_at is null and ${users}`;
  const parts: RawBuilder<unknown>[] = [];
  const { prefix } = rules;
  if (prefix) {
    parts.push(sql`select m.directory_id, m.user_id, substr(g.display_name, ${prefix.length + 1}) as role from ${MEMBERSHIPS}
      where ${where} and substr(g.display_name_lower, 1, ${prefix.length}) = ${prefix.lower} and length(g.display_name) > ${prefix.length}`);
  }
  if (rules.mappings.length > 0) {
    // A derived table of the mappings, written so SQLite and PostgreSQL both accept it.
    const rows = sql.join(
      rules.mappings.map((m) => sql`select cast(${m.groupLower} as text) as group_lower, cast(${m.role} as text) as role`),
      sql` union all `,
    );
    parts.push(sql`select m.directory_id, m.user_id, mp.role from ${MEMBERSHIPS} join (${rows}) mp on mp.group_lower = g.display_name_lower where ${where}`);
  }
  return sql.join(parts, sql` union `);
}

/** True when a live group of the user named by user_roles.user_id still gives user_roles.role. */
function stillGranted(rules: CompiledRules): Condition {
  const grants: Condition[] = [];
  const { prefix } = rules;
  if (prefix) {
    grants.push(sql`(substr(g.display_name_lower, 1, ${prefix.length}) = ${prefix.lower} and length(g.display_name) > ${prefix.length}
      and substr(g.display_name, ${prefix.length + 1}) = user_roles.role)`);
  }
  for (const m of rules.mappings) grants.push(sql`(g.display_name_lower = ${m.groupLower} and user_roles.role = ${m.role})`);
  return sql`exists (select 1 from ${MEMBERSHIPS} where m.directory_id = user_roles.directory_id and m.user_id = user_roles.user_id
    and g.deleted_at is null and (${sql.join(grants, sql` or `)}))`;
}

export function createRoleRepository({ db }: RepoContext): RoleRepository {
  /** One pass over the users that `scope(column)` selects: grant what is missing, revoke what no group gives. */
  async function reconcile(directoryId: string, rules: CompiledRules, scope: (column: RawBuilder<unknown>) => Condition, changes: RoleChanges) {
    const on = rules.prefix !== null || rules.mappings.length > 0;
    if (on) {
      // `where true`: SQLite needs a WHERE before ON CONFLICT to parse an INSERT ... SELECT upsert.
      const granted = await sql<{ user_id: string; role: string }>`insert into user_roles (directory_id, user_id, role)
        select d.directory_id, d.user_id, d.role from (${desired(directoryId, rules, scope(sql.ref('m.user_id')))}) d where true
        on conflict (directory_id, user_id, role) do nothing
        returning user_id, role`.execute(db);
      for (const row of granted.rows) changes.granted.push({ userId: row.user_id, role: row.role });
    }
    const revoked = await sql<{ user_id: string; role: string }>`delete from user_roles
      where directory_id = ${directoryId} and ${scope(sql.ref('user_roles.user_id'))}${on ? sql` and not ${stillGranted(rules)}` : sql``}
      returning user_id, role`.execute(db);
    for (const row of revoked.rows) changes.revoked.push({ userId: row.user_id, role: row.role });
  }

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

    async recompute(directoryId, rules, scope: RoleScope) {
      const compiled = compile(rules);
      const changes: RoleChanges = { granted: [], revoked: [] };
      if ('users' in scope) {
        for (const part of chunks([...new Set(scope.users)])) {
          await reconcile(directoryId, compiled, (column) => sql`${column} in (${sql.join(part)})`, changes);
        }
      } else if ('groupMembers' in scope) {
        const members = sql`select gm.user_id from group_memberships gm where gm.directory_id = ${directoryId} and gm.group_id = ${scope.groupMembers}`;
        await reconcile(directoryId, compiled, (column) => sql`${column} in (${members})`, changes);
      } else {
        await reconcile(directoryId, compiled, () => sql`1 = 1`, changes);
      }
      return changes;
    },
  };
}
