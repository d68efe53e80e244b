/**
 * `scimitar webhook ...` as an operator uses it, against a SQLite file: the secret printed once,
 * lists without secrets, enable/disable, attempts, redelivery requests, delete, and one
 * readable error line with a non-zero exit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createScimitar } from '../../src/runtime/create-scimitar.js';
import { createTestDatabase } from '../support/databases.js';

function cli(databaseUrl: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...process.env, DATABASE_URL: databaseUrl } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('scimitar webhook create, list, disable, attempts, redeliver, delete', { timeout: 60_000 }, async () => {
  const db = await createTestDatabase('sqlite');
  try {
    const setup = await createScimitar({ database: db.url, publicUrl: 'http://127.0.0.1', maintenance: false, delivery: { enabled: false } });
    const org = await setup.admin.createOrganization({ name: 'Acme' });
    await setup.close();

    const created = await cli(db.url, ['webhook', 'create', '--url', 'https://app.example.com/hooks', '--org', org.id, '--events', 'user.created,user.deleted', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const endpoint = JSON.parse(created.stdout);
    assert.match(endpoint.secret, /^whsec_/);
    assert.deepEqual([endpoint.organizationId, endpoint.eventTypes, endpoint.enabled], [org.id, ['user.created', 'user.deleted'], true]);

    const [text, listed, disabled, attempts, redeliver, bad] = await Promise.all([
      cli(db.url, ['webhook', 'create', '--url', 'http://localhost:3000/hooks']),
      cli(db.url, ['webhook', 'list', '--org', org.id, '--json']),
      cli(db.url, ['webhook', 'disable', '--endpoint', endpoint.id]),
      cli(db.url, ['webhook', 'attempts', '--endpoint', endpoint.id, '--json']),
      cli(db.url, ['webhook', 'redeliver', '--endpoint', endpoint.id, '--all-dead', '--json']),
      cli(db.url, ['webhook', 'create', '--url', 'ftp://example.com']),
    ]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Signing secret: whsec_\S+/);
    assert.match(text.stdout, /shown only this once/);
    assert.equal(listed.code, 0, listed.stderr);
    const list = JSON.parse(listed.stdout);
    assert.ok(list.some((e: { id: string }) => e.id === endpoint.id));
    assert.ok(!listed.stdout.includes('whsec_'), 'lists never show a secret');
    assert.equal(disabled.code, 0, disabled.stderr);
    assert.match(disabled.stdout, new RegExp(`${endpoint.id} is now disabled`));
    assert.deepEqual(JSON.parse(attempts.stdout), []);
    assert.deepEqual(JSON.parse(redeliver.stdout), { queued: 0 });
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr.trim(), 'error: url must use http or https (got "ftp")');

    const [deleted, missing] = await Promise.all([
      cli(db.url, ['webhook', 'delete', '--endpoint', endpoint.id]),
      cli(db.url, ['webhook', 'redeliver', '--endpoint', endpoint.id, '--event', 'evt_nothing']),
    ]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(missing.code, 3, 'not_found exits 3');
    const after = await cli(db.url, ['webhook', 'list']);
    assert.doesNotMatch(after.stdout, new RegExp(endpoint.id));
  } finally {
    await db.drop();
  }
});
