/**
 * Forward-only migrations: numbered SQL files in ./migrations, each applied once in its own
 * transaction together with its row in schema_migrations. Safe when two processes start at
 * once (PostgreSQL advisory lock; SQLite's write lock).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { OpenDatabase } from './dialects/dialect.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: string;
  statements: string[];
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((name) => /^\d{4}_.+\.sql$/.test(name))
    .sort()
    .map((name) => ({ version: name.replace(/\.sql$/, ''), statements: splitStatements(readFileSync(dir + name, 'utf8')) }));
}

/** Splits a file on semicolons that end a line; our migrations hold no procedural code. */
export function splitStatements(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Applies pending migrations; returns the versions applied now (empty when up to date). */
export async function migrate(database: OpenDatabase, migrations = loadMigrations()): Promise<string[]> {
  return database.dialect.withMigrationLock(database.db, async (db) => {
    await sql`create table if not exists schema_migrations (version text not null primary key, applied_at text not null)`.execute(db);
    const applied: string[] = [];
    for (const migration of migrations) {
      const done = await db.transaction().execute(async (trx) => {
        const existing = await trx.selectFrom('schema_migrations').select('version').where('version', '=', migration.version).executeTakeFirst();
        if (existing) return false;
        for (const statement of migration.statements) await sql.raw(statement).execute(trx);
        await trx.insertInto('schema_migrations').values({ version: migration.version, applied_at: new Date().toISOString() }).execute();
        return true;
      });
      if (done) applied.push(migration.version);
    }
    return applied;
  });
}
