/**
 * SQLite through better-sqlite3: the embedded default. One connection, WAL, and
 * `BEGIN IMMEDIATE` transactions so a writer takes the write lock up front (another process,
 * such as the CLI, then waits on busy_timeout instead of failing on lock upgrade).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type Driver, type SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import type { Database } from '../schema.js';
import type { OpenDatabase, SqlDialect } from './dialect.js';

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/**
 * Kysely prepares every query anew; preparing costs as much as running a small query. Statements
 * are reusable, so keep the most recent ones by SQL text (bounded: IN-lists vary in length).
 */
function withStatementCache(database: SqliteDatabase.Database, size = 500): KyselySqliteDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (statement) {
        // refresh its place in the LRU order
        cache.delete(text);
      } else {
        statement = database.prepare(text);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  supportsForUpdate: false,
  isUniqueViolation: (error) =>
    typeof error === 'object' && error !== null &&
    ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE' ||
      (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY'),
  contains: (column, value) => sql<boolean>`instr(${column}, ${value}) > 0`,
  // substr counts characters (code points), not UTF-16 units.
  startsWith: (column, value) => sql<boolean>`substr(${column}, 1, ${[...value].length}) = ${value}`,
  endsWith: (column, value) =>
    value.length === 0 ? sql<boolean>`${column} is not null` : sql<boolean>`substr(${column}, ${-[...value].length}) = ${value}`,
  // PRAGMA optimize runs ANALYZE on the tables whose statistics would change query plans.
  refreshPlannerStatistics: async (db) => {
    await sql`pragma optimize`.execute(db);
    return [];
  },
  // Each migration runs in a BEGIN IMMEDIATE transaction, which holds the only write lock;
  // busy_timeout makes a second process wait for it.
  withMigrationLock: (db, work) => work(db),
};

/** Opens (creating if needed) a SQLite file, or ':memory:'. */
export function openSqlite(path: string): OpenDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SqliteDatabase(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 10000');
  database.pragma('foreign_keys = ON');
  // A directory of 100,000 users is a few hundred MB: keep its hot pages in memory instead of
  // paying a read() per page (SQLite's default cache is 2 MB).
  database.pragma('cache_size = -65536');
  database.pragma('mmap_size = 268435456');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }) });
  return {
    db,
    dialect: sqliteDialect,
    description: `SQLite at ${path}`,
    close: () => db.destroy(),
  };
}
