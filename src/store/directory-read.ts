/**
 * Queries behind the host app's read API: keyset pages by id (stable while rows are added),
 * and batch look-ups that answer for a whole page in one statement per chunk, never one per row.
 * Read-only; every query filters by directory_id first.
 */
import { sql } from 'kysely';
import type { DirectoryReadRepository } from '../app/directory/read-port.js';
import type { DirectoryEvent } from '../domain/events.js';
import { chunks, type RepoContext } from './db-types.js';
import { fromRow as groupFromRow } from './groups.js';
import { directoryFromRow } from './tenants.js';
import { fromRow as userFromRow } from './users.js';
import { eventFromRow } from './events.js';

/** Directories per UNION ALL statement of eventsAfter: 3 parameters each, far below SQLite's cap. */
const EVENT_STREAMS_PER_STATEMENT = 50;


export function createDirectoryReadRepository({ db }: RepoContext): DirectoryReadRepository {
  return {
    async listDirectories(organizationId) {
      let query = db.selectFrom('directories').selectAll();
      if (organizationId !== null) query = query.where('organization_id', '=', organizationId);
      const rows = await query.orderBy('id').execute();
      return rows.map(directoryFromRow);
    },

    async listSequences(organizationId) {
      let query = db.selectFrom('directories').select(['id', 'event_seq']);
      if (organizationId !== null) query = query.where('organization_id', '=', organizationId);
      const rows = await query.orderBy('id').execute();
      return rows.map((row) => ({ directoryId: row.id, lastSequence: Number(row.event_seq) }));
    },

    async listUsers(directoryId, q) {
      // With a group, walk the membership key (directory_id, group_id, user_id): it is already in
      // user id order, so a page of a 100,000-member group reads one page of rows.
      const base = q.groupId !== undefined
        ? db
            .selectFrom('group_memberships as m')
            .innerJoin('directory_users as u', (join) => join.onRef('u.directory_id', '=', 'm.directory_id').onRef('u.id', '=', 'm.user_id'))
            .where('m.directory_id', '=', directoryId)
            .where('m.group_id', '=', q.groupId)
        : db.selectFrom('directory_users as u').where('u.directory_id', '=', directoryId);
      const key = q.groupId !== undefined ? 'm.user_id' : 'u.id';
      let query = base.selectAll('u');
      if (q.state === 'deleted') query = query.where('u.deleted_at', 'is not', null);
      else query = query.where('u.deleted_at', 'is', null);
      if (q.state === 'active') query = query.where('u.active', '=', 1);
      if (q.state === 'inactive') query = query.where('u.active', '=', 0);
      if (q.email !== undefined) {
        // IN (...) lets the planner start from the email index instead of testing every user.
        const email = q.email.toLowerCase();
        query = query.where('u.id', 'in', (eb) =>
          eb.selectFrom('directory_user_emails as e').select('e.user_id').where('e.directory_id', '=', directoryId).where('e.value_lower', '=', email),
        );
      }
      if (q.afterId !== undefined) query = query.where(sql.ref(key), '>', q.afterId);
      const rows = await query.orderBy(sql.ref(key)).limit(q.limit).execute();
      return rows.map(userFromRow);
    },

    async findUser(directoryId, userId) {
      const row = await db.selectFrom('directory_users').selectAll().where('directory_id', '=', directoryId).where('id', '=', userId).executeTakeFirst();
      return row ? userFromRow(row) : undefined;
    },

    async resolveReferences(directoryId, values) {
      const resolved = new Map<string, string>();
      // A third of the chunk size: each value is bound three times (id, externalId, userName).
      for (const part of chunks([...new Set(values)], 150)) {
        const rows = await db
          .selectFrom('directory_users')
          .select(['id', 'external_id', 'user_name_lower'])
          .where('directory_id', '=', directoryId)
          .where('deleted_at', 'is', null)
          .where((eb) =>
            eb.or([eb('id', 'in', part), eb('external_id', 'in', part), eb('user_name_lower', 'in', part.map((v) => v.toLowerCase()))]),
          )
          .orderBy('id')
          .execute();
        // Same precedence as users.resolveReference: the lowest id among the rows that match.
        for (const value of part) {
          const lower = value.toLowerCase();
          const row = rows.find((r) => r.id === value || r.external_id === value || r.user_name_lower === lower);
          if (row) resolved.set(value, row.id);
        }
      }
      return resolved;
    },

    async listGroups(directoryId, q) {
      let query = db.selectFrom('directory_groups').selectAll().where('directory_id', '=', directoryId).where('deleted_at', 'is', null);
      if (q.afterId !== undefined) query = query.where('id', '>', q.afterId);
      const rows = await query.orderBy('id').limit(q.limit).execute();
      return rows.map(groupFromRow);
    },

    async memberCounts(directoryId, groupIds) {
      const counts = new Map<string, number>(groupIds.map((id) => [id, 0]));
      for (const part of chunks([...new Set(groupIds)])) {
        const rows = await db
          .selectFrom('group_memberships')
          .select(['group_id', (eb) => eb.fn.countAll<number>().as('n')])
          .where('directory_id', '=', directoryId)
          .where('group_id', 'in', part)
          .groupBy('group_id')
          .execute();
        for (const row of rows) counts.set(row.group_id, Number(row.n));
      }
      return counts;
    },

    async eventsAfter(positions, limit) {
      const result = new Map<string, DirectoryEvent[]>(positions.map((p) => [p.directoryId, []]));
      for (const part of chunks(positions, EVENT_STREAMS_PER_STATEMENT)) {
        // One sub-select per directory, each walking the (directory_id, seq) primary key; wrapped
        // so that ORDER BY/LIMIT are legal inside UNION ALL on both SQLite and PostgreSQL.
        const streams = part.map((p) =>
          db
            .selectFrom((eb) =>
              eb
                .selectFrom('events')
                .selectAll()
                .where('directory_id', '=', p.directoryId)
                .where('seq', '>', p.afterSeq)
                .orderBy('seq')
                .limit(limit)
                .as('e'),
            )
            .selectAll(),
        );
        const query = streams.slice(1).reduce((union, stream) => union.unionAll(stream), streams[0]!);
        const rows = await query.execute();
        for (const row of rows) result.get(row.directory_id)?.push(eventFromRow(row));
      }
      for (const events of result.values()) events.sort((a, b) => a.sequence - b.sequence);
      return result;
    },
  };
}
