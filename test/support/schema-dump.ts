/** A normalised text dump of a SQLite schema: one statement per object, sorted by name. */
import { sql } from 'kysely';
import type { OpenDatabase } from '../../src/store/dialects/dialect.js';

export async function dumpSqliteSchema(database: OpenDatabase): Promise<string> {
  const rows = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where sql is not null and name not like 'sqlite_%' order by type desc, name`.execute(database.db);
  return rows.rows.map((r) => r.sql.replace(/\s+/g, ' ').trim() + ';').join('\n') + '\n';
}
