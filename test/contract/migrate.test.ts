import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { migrate, loadMigrations } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import { dialects, createTestDatabase } from '../support/databases.js';
import { dumpSqliteSchema } from '../support/schema-dump.js';

test('a fresh migrate produces the committed schema (regenerate with node --import tsx scripts/dump-schema.ts)', async () => {
  const database = openDatabase('sqlite::memory:');
  try {
    assert.deepEqual(await migrate(database), loadMigrations().map((m) => m.version));
    assert.equal(await dumpSqliteSchema(database), readFileSync('test/schema.sql', 'utf8'));
  } finally {
    await database.close();
  }
});

/** Runs `scimitar migrate` in a separate process, as a second server starting would. */
function migrateInChildProcess(url: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'migrate'], { env: { ...process.env, DATABASE_URL: url } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

for (const { name, skip } of await dialects()) {
  test(`two processes migrating one ${name} database at once apply each migration once`, { skip }, async () => {
    const db = await createTestDatabase(name);
    try {
      const results = await Promise.all([migrateInChildProcess(db.url), migrateInChildProcess(db.url)]);
      for (const r of results) assert.equal(r.code, 0, r.output);
      const applied = results.filter((r) => r.output.includes('applied 0001_init')).length;
      assert.equal(applied, 1, results.map((r) => r.output).join('\n'));
      const database = openDatabase(db.url);
      try {
        assert.deepEqual(await migrate(database), []);
      } finally {
        await database.close();
      }
    } finally {
      await db.drop();
    }
  });
}
