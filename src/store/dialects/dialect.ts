/**
 * What differs between SQLite and PostgreSQL, in one small interface: everything else in
 * store/ is dialect-free Kysely.
 */
import type { Expression, Kysely, SqlBool } from 'kysely';
import type { Database } from '../schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface SqlDialect {
  readonly name: DialectName;
  /** True when the error is a violation of a unique index. */
  isUniqueViolation(error: unknown): boolean;
  /** Row locks for read-modify-write inside a transaction (PostgreSQL `FOR UPDATE`); SQLite serializes writers instead. */
  readonly supportsForUpdate: boolean;
  /** Case-sensitive substring tests; callers lower-case both sides for case-insensitive attributes. */
  contains(column: Expression<string | null>, value: string): Expression<SqlBool>;
  startsWith(column: Expression<string | null>, value: string): Expression<SqlBool>;
  endsWith(column: Expression<string | null>, value: string): Expression<SqlBool>;
  /**
   * Brings the query planner's statistics up to date where many rows changed since it last
   * looked. Cheap when nothing changed; the runtime calls it on a timer.
   */
  refreshPlannerStatistics(db: Kysely<Database>): Promise<string[]>;
  /** Runs `work` holding a lock that serializes schema migrations across processes. */
  withMigrationLock<T>(db: Kysely<Database>, work: (db: Kysely<Database>) => Promise<T>): Promise<T>;
}

export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: SqlDialect;
  /** Human-readable location with no credentials, for logs. */
  description: string;
  close(): Promise<void>;
}
