/**
 * Turns a DATABASE_URL into an open database: `postgres://` / `postgresql://` for PostgreSQL,
 * `sqlite:<path>` (or a bare path) for SQLite, `sqlite::memory:` for a throwaway database.
 */
import { ServiceError } from '../domain/errors.js';
import type { OpenDatabase } from './dialects/dialect.js';
import { openPostgres } from './dialects/postgres.js';
import { openSqlite } from './dialects/sqlite.js';

export function openDatabase(url: string, options: { poolSize?: number } = {}): OpenDatabase {
  if (/^postgres(ql)?:\/\//i.test(url)) return openPostgres(url, options);
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path.length === 0) throw new ServiceError('invalid_value', 'database.url: sqlite: needs a file path, e.g. sqlite:./data/scimitar.db');
    return openSqlite(path);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new ServiceError('invalid_value', `database.url: unsupported scheme in "${url.split(':')[0]}:" (use postgres:// or sqlite:<path>)`);
  }
  return openSqlite(url);
}
