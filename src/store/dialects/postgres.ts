/**
 * PostgreSQL through pg: the production database. Several Scimitar processes may share one
 * database; row locks (`FOR UPDATE`) and unique indexes keep concurrent writers correct.
 */
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database } from '../schema.js';
import type { OpenDatabase, SqlDialect } from './dialect.js';

// BIGINT columns (event sequence numbers) fit in a double; read them as numbers.
pg.types.setTypeParser(20, (value: string) => Number(value));

const MIGRATION_LOCK_KEY = 7_262_041_993; // arbitrary constant shared by every Scimitar process

const ANALYZE_LOCK_KEY = 7_262_041_994;
/** The tables whose statistics decide index choice on the SCIM hot path. */
const PLANNED_TABLES = ['directory_users', 'directory_user_emails', 'directory_groups', 'group_memberships'] as const;

/**
 * A table that was never analyzed looks empty to the planner, which then picks any index that
 * starts with directory_id — Okta's existence checks during a first large import scanned the
 * directory. Autovacuum analyzes only after a naptime and 10% of changes; we do not wait.
 */
async function refreshPostgresStatistics(db: Kysely<Database>): Promise<string[]> {
  const stale = await sql<{ relname: string }>`
    select relname from pg_stat_user_tables
    where relname = any(${[...PLANNED_TABLES]})
      and n_mod_since_analyze > greatest(200, n_live_tup * 0.1)`.execute(db);
  if (stale.rows.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    // One process analyzes; the others skip rather than queue behind it.
    const lock = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${ANALYZE_LOCK_KEY}) as ok`.execute(trx);
    if (!lock.rows[0]?.ok) return [];
    const analyzed: string[] = [];
    for (const { relname } of stale.rows) {
      const table = PLANNED_TABLES.find((t) => t === relname);
      if (!table) continue;
      await sql`analyze ${sql.table(table)}`.execute(trx);
      analyzed.push(table);
    }
    return analyzed;
  });
}

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  supportsForUpdate: true,
  isUniqueViolation: (error) =>
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505',
  contains: (column, value) => sql<boolean>`strpos(${column}, ${value}) > 0`,
  // left/right count characters (code points), not UTF-16 units.
  startsWith: (column, value) => sql<boolean>`left(${column}, ${[...value].length}) = ${value}`,
  endsWith: (column, value) =>
    value.length === 0 ? sql<boolean>`${column} is not null` : sql<boolean>`right(${column}, ${[...value].length}) = ${value}`,
  refreshPlannerStatistics: refreshPostgresStatistics,
  // A session-level advisory lock on one pinned connection: even `create table if not exists`
  // races in PostgreSQL's catalog when two processes run it at once.
  withMigrationLock: (db, work) =>
    db.connection().execute(async (connection) => {
      await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(connection);
      try {
        return await work(connection);
      } finally {
        await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(connection);
      }
    }),
};

export function openPostgres(url: string, options: { poolSize?: number } = {}): OpenDatabase {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: postgresDialect,
    description: `PostgreSQL at ${redactUrl(url)}`,
    close: () => db.destroy(),
  };
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}
