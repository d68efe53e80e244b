/**
 * The `scimitar` command as a developer uses it: against the same database as a running
 * server, with --json for scripts and one readable error line otherwise.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolveConfig } from '../../src/config/config.js';
import { startServer, type RunningServer } from '../../src/runtime/server.js';
import { createTestDatabase, dialects, type TestDatabase } from '../support/databases.js';
import { ScimClient, oktaUser } from '../support/scim-client.js';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(databaseUrl: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, SCIMITAR_PUBLIC_URL: 'https://scim.example.com', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function json(databaseUrl: string, args: string[]): Promise<any> {
  const result = await cli(databaseUrl, [...args, '--json']);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
}

for (const { name, skip } of await dialects()) {
  describe(`scimitar CLI on ${name}`, { skip }, () => {
    let db: TestDatabase;
    let server: RunningServer;
    let serverUrl: string;

    before(async () => {
      db = await createTestDatabase(name);
      const config = resolveConfig({ host: '127.0.0.1', databaseUrl: db.url, logLevel: 'silent', publicUrl: 'https://scim.example.com' }, {});
      server = await startServer({ ...config, port: 0 });
      const address = server.app.server.address();
      serverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    after(async () => {
      await server?.close();
      await db?.drop();
    });

    const clientFor = (directoryId: string, token: string) => new ScimClient(`${serverUrl}/scim/v2/${directoryId}`, token);

    test('org create and directory create print the SCIM base URL and a token that works against the running server', async () => {
      const org = await json(db.url, ['org', 'create', 'Acme']);
      assert.match(org.id, /^org_/);
      assert.equal(org.name, 'Acme');
      const dir = await json(db.url, ['directory', 'create', '--org', org.id, '--provider', 'okta']);
      assert.match(dir.id, /^dir_/);
      assert.equal(dir.scimBaseUrl, `https://scim.example.com/scim/v2/${dir.id}`);
      assert.match(dir.token, /^scimitar_scim_/);
      const check = await clientFor(dir.id, dir.token).get('/Users?startIndex=1&count=1');
      assert.equal(check.status, 200);
    });

    test('without --json the commands print a readable summary that shows the token once', async () => {
      const org = await json(db.url, ['org', 'create', 'Readable']);
      const result = await cli(db.url, ['directory', 'create', '--org', org.id, '--provider', 'entra']);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /SCIM base URL: +https:\/\/scim\.example\.com\/scim\/v2\/dir_/);
      assert.match(result.stdout, /Bearer token: +scimitar_scim_/);
      assert.match(result.stdout, /shown only this once/);
    });

    test('token rotate: the old token keeps working during the grace period; --revoke-old ends it now', async () => {
      const org = await json(db.url, ['org', 'create', 'Rotate']);
      const dir = await json(db.url, ['directory', 'create', '--org', org.id, '--provider', 'okta']);
      const rotated = await json(db.url, ['token', 'rotate', '--directory', dir.id]);
      assert.notEqual(rotated.token, dir.token);
      assert.ok(Date.parse(rotated.previousTokensExpireAt) - Date.now() > 23 * 3_600_000);
      assert.equal((await clientFor(dir.id, dir.token).get('/Users')).status, 200, 'old token within grace');
      assert.equal((await clientFor(dir.id, rotated.token).get('/Users')).status, 200, 'new token');
      const revoked = await json(db.url, ['token', 'rotate', '--directory', dir.id, '--revoke-old']);
      assert.equal(revoked.previousTokensExpireAt, null);
      assert.equal((await clientFor(dir.id, dir.token).get('/Users')).status, 401);
      assert.equal((await clientFor(dir.id, rotated.token).get('/Users')).status, 401);
      assert.equal((await clientFor(dir.id, revoked.token).get('/Users')).status, 200);
    });

    test('directory set --status inactive makes the running server answer 403; active restores it', async () => {
      const org = await json(db.url, ['org', 'create', 'Switch']);
      const dir = await json(db.url, ['directory', 'create', '--org', org.id, '--provider', 'okta']);
      const client = clientFor(dir.id, dir.token);
      const off = await json(db.url, ['directory', 'set', '--directory', dir.id, '--status', 'inactive']);
      assert.equal(off.status, 'inactive');
      const refused = await client.get('/Users');
      assert.equal(refused.status, 403);
      assert.match(refused.body.detail, /disabled/);
      await json(db.url, ['directory', 'set', '--directory', dir.id, '--status', 'active']);
      assert.equal((await client.get('/Users')).status, 200);
    });

    test('logs shows the directory’s SCIM requests; --errors only the failures, with their scimType', async () => {
      const org = await json(db.url, ['org', 'create', 'Logs']);
      const dir = await json(db.url, ['directory', 'create', '--org', org.id, '--provider', 'okta']);
      const client = clientFor(dir.id, dir.token);
      assert.equal((await client.post('/Users', oktaUser('logged@example.com'))).status, 201);
      assert.equal((await client.post('/Users', oktaUser('LOGGED@example.com'))).status, 409);
      const all = await json(db.url, ['logs', '--directory', dir.id]);
      assert.equal(all.length, 2);
      assert.ok(all.every((e: any) => !String(e.requestBody).includes('Sup3r-secret!')), 'password never logged');
      const errors = await cli(db.url, ['logs', '--directory', dir.id, '--errors']);
      assert.equal(errors.code, 0);
      assert.match(errors.stdout, /POST +409 +\/scim\/v2\/dir_\w+\/Users/);
      assert.match(errors.stdout, /uniqueness: userName "LOGGED@example.com" is already taken/);
      assert.doesNotMatch(errors.stdout, / 201 /);
    });

    test('errors are one readable line and a non-zero exit code', async () => {
      const missing = await cli(db.url, ['directory', 'create', '--org', 'org_missing', '--provider', 'okta']);
      assert.notEqual(missing.code, 0);
      assert.equal(missing.stderr.trim(), 'error: organization org_missing does not exist');
      const org = await json(db.url, ['org', 'create', 'Errors']);
      const provider = await cli(db.url, ['directory', 'create', '--org', org.id, '--provider', 'onelogin']);
      assert.equal(provider.code, 1);
      assert.equal(provider.stderr.trim(), 'error: provider must be one of okta, entra, generic (got "onelogin")');
      const status = await cli(db.url, ['directory', 'set', '--directory', 'dir_missing', '--status', 'inactive']);
      assert.notEqual(status.code, 0);
      assert.equal(status.stderr.trim(), 'error: directory dir_missing does not exist');
      const badDb = await cli('mysql://x', ['org', 'list']);
      assert.equal(badDb.code, 1);
      assert.match(badDb.stderr.trim(), /^error: database.url: unsupported scheme/);
    });
  });
}
