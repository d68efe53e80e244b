/** The Kysely handle a repository works on: the database itself or an open transaction. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { SqlDialect } from './dialects/dialect.js';

export type Executor = Kysely<Database> | Transaction<Database>;

export interface RepoContext {
  db: Executor;
  dialect: SqlDialect;
}

/** SQLite caps bound parameters per statement; stay well below it when passing id lists. */
export const CHUNK = 500;

export function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
