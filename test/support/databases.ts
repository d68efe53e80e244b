/**
 * Test databases: a fresh SQLite file per call, and a fresh PostgreSQL database per call when a
 * server is reachable (TEST_DATABASE_URL, else 127.0.0.1:5432). Without one the PostgreSQL cases
 * are skipped with a plain message, unless REQUIRE_POSTGRES=1, which makes them fail instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type DialectName = 'sqlite' | 'postgres';

export interface TestDatabase {
  dialect: DialectName;
  url: string;
  drop(): Promise<void>;
}

const ADMIN_URL = process.env['TEST_DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test';

let reachable: Promise<string | undefined> | undefined;

/** Resolves to undefined when PostgreSQL answers, else to the reason it does not. */
function probePostgres(): Promise<string | undefined> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return undefined;
    } catch (error) {
      return (error as Error).message || String(error);
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

/** The dialects to run a suite on, with a reason to skip PostgreSQL when it is not reachable. */
export async function dialects(): Promise<{ name: DialectName; skip: string | false }[]> {
  const problem = await probePostgres();
  if (problem && process.env['REQUIRE_POSTGRES'] === '1') {
    throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL at ${redact(ADMIN_URL)} is not reachable: ${problem}`);
  }
  return [
    { name: 'sqlite', skip: false },
    { name: 'postgres', skip: problem ? `PostgreSQL not reachable at ${redact(ADMIN_URL)} (${problem}); set TEST_DATABASE_URL to run it` : false },
  ];
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'scimitar-test-'));
    return { dialect, url: `sqlite:${join(dir, 'test.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `scimitar_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dialect,
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
