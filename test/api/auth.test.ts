/**
 * API keys: created by the CLI (shown once, SHA-256 at rest), required on every /api/v1 route
 * but the reference, and refused (401) when missing, wrong or revoked. Bad input is a 4xx JSON
 * error, never a 500.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import pg from 'pg';
import Database from 'better-sqlite3';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, createKey, errorCode, newTenant } from './helpers.js';

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

/** Every stored api_keys row, read straight from the database. */
async function storedKeys(url: string): Promise<Record<string, unknown>[]> {
  if (url.startsWith('sqlite:')) {
    const db = new Database(url.slice('sqlite:'.length), { readonly: true });
    try {
      return db.prepare('select * from api_keys').all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('select * from api_keys')).rows;
  } finally {
    await client.end();
  }
}

for (const { name, skip } of await dialects()) {
  describe(`API keys on ${name}`, { skip }, () => {
    let server: TestServer;
    before(async () => (server = await startTestServer(name)));
    after(async () => server?.close());

    test('no key, a wrong key, another scheme and a revoked key all get 401 with the JSON error shape', async () => {
      const key = await createKey(server);
      assert.equal((await api(server, key).get('/organizations')).status, 200);

      const missing = await api(server).get('/organizations');
      assert.equal(missing.status, 401);
      assert.equal(errorCode(missing), 'unauthenticated');
      assert.match(missing.headers.get('www-authenticate') ?? '', /^Bearer /);

      const wrong = await api(server, key.slice(0, -2) + 'xx').get('/organizations');
      assert.equal(wrong.status, 401);
      assert.equal(errorCode(wrong), 'unauthenticated');

      const basic = await api(server).request('GET', '/organizations', { headers: { authorization: `Basic ${Buffer.from(`x:${key}`).toString('base64')}` } });
      assert.equal(basic.status, 401);

      const list = await server.server.scimitar.admin.listApiKeys();
      const id = list.find((k) => key.startsWith(k.prefix))!.id;
      await server.server.scimitar.admin.revokeApiKey({ keyId: id });
      const revoked = await api(server, key).get('/organizations');
      assert.equal(revoked.status, 401);
      // A revoked key and a wrong key are told apart by nothing.
      assert.deepEqual(revoked.body, wrong.body);
    });

    test('unknown routes answer 404 and wrong methods 405 only after authentication', async () => {
      const key = await createKey(server);
      assert.equal((await api(server).get('/nope')).status, 401);
      const unknown = await api(server, key).get('/nope');
      assert.equal(unknown.status, 404);
      assert.equal(errorCode(unknown), 'not_found');
      const wrongMethod = await api(server, key).request('PUT', '/organizations');
      assert.equal(wrongMethod.status, 405);
      assert.equal(errorCode(wrongMethod), 'method_not_allowed');
      assert.equal(wrongMethod.headers.get('allow'), 'GET, POST');
    });

    test('bad input gets a 4xx JSON error, never a 500', async () => {
      const tenant = await newTenant(server);
      const global = api(server, await createKey(server));
      const dir = `/directories/${tenant.directoryId}`;
      const cases: [string, () => ReturnType<typeof global.get>, number, string][] = [
        ['malformed JSON', () => global.request('POST', '/organizations', { raw: '{"name":', headers: { 'content-type': 'application/json' } }), 400, 'invalid_syntax'],
        ['a JSON array body', () => global.request('POST', '/organizations', { raw: '[]', headers: { 'content-type': 'application/json' } }), 400, 'invalid_syntax'],
        ['a form body', () => global.request('POST', '/organizations', { raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type'],
        ['a missing field', () => global.post('/organizations', {}), 400, 'invalid_value'],
        ['a wrongly typed field', () => global.post('/organizations', { name: 42 }), 400, 'invalid_value'],
        ['an unknown field', () => global.post(`${dir}/token`, { revoke_old: true }), 400, 'invalid_value'],
        ['an unknown provider', () => global.post('/directories', { organizationId: tenant.organizationId, provider: 'ldap' }), 400, 'invalid_value'],
        ['an unknown status', () => global.patch(dir, { status: 'paused' }), 400, 'invalid_value'],
        ['a bad limit', () => global.get(`${dir}/users?limit=0`), 400, 'invalid_value'],
        ['a huge limit', () => global.get(`${dir}/users?limit=99999999999999999999`), 400, 'invalid_value'],
        ['a bad state', () => global.get(`${dir}/users?state=gone`), 400, 'invalid_value'],
        ['a forged page cursor', () => global.get(`${dir}/users?after=%%%`), 400, 'invalid_value'],
        ['a forged events cursor', () => global.get('/events?after=bm9wZQ'), 400, 'invalid_value'],
        ['an unknown query parameter', () => global.get(`${dir}/users?emial=a@b.c`), 400, 'invalid_value'],
        ['a query parameter on a route that takes none', () => global.get(`${dir}?expand=users`), 400, 'invalid_value'],
        ['a repeated query parameter', () => global.get(`${dir}/users?state=active&state=inactive`), 400, 'invalid_value'],
        // Fastify refuses this before any handler runs; its adapter renders JSON too.
        ['a malformed %-escape in the path', () => global.get('/directories/%E0%A4%A'), 400, 'bad_request'],
        ['a malformed %-escape in a segment', () => global.get('/directories/%E0%A4%A0%/users'), 400, 'bad_request'],
        ['bad settings', () => global.patch(`${dir}/settings`, { roles: { prefix: 7 } }), 400, 'invalid_value'],
        ['a bad webhook URL', () => global.post('/webhook-endpoints', { url: 'ftp://x' }), 400, 'invalid_value'],
        ['redeliver to an unknown endpoint', () => global.post('/webhook-endpoints/whk_nope/redeliver', { allDead: true }), 404, 'not_found'],
      ];
      for (const [what, send, status, code] of cases) {
        const result = await send();
        assert.equal(result.status, status, `${what}: ${result.text}`);
        assert.equal(errorCode(result), code, what);
        assert.match(result.headers.get('content-type') ?? '', /^application\/json/, what);
      }
    });

    test('api-key create prints the key once and stores only its SHA-256; list and revoke work from the CLI', async () => {
      const tenant = await newTenant(server);
      const created = await cli(server.database.url, ['api-key', 'create', '--org', tenant.organizationId, '--name', 'billing sync', '--json']);
      assert.equal(created.code, 0, created.stderr);
      const json = JSON.parse(created.stdout);
      assert.match(json.key, /^scimitar_key_[A-Za-z0-9_-]{43}$/);
      assert.equal(json.organizationId, tenant.organizationId);
      assert.equal(json.keySha256, undefined);

      const rows = await storedKeys(server.database.url);
      const row = rows.find((r) => r['id'] === json.id)!;
      assert.equal(row['key_sha256'], createHash('sha256').update(json.key).digest('hex'));
      assert.ok(!JSON.stringify(rows).includes(json.key), 'the key itself is not stored');

      const scoped = api(server, json.key);
      const orgs = await scoped.get('/organizations');
      assert.equal(orgs.status, 200);
      assert.deepEqual(orgs.body.data.map((o: { id: string }) => o.id), [tenant.organizationId]);

      const listed = await cli(server.database.url, ['api-key', 'list']);
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, new RegExp(`${json.id} .*${tenant.organizationId}.*"billing sync"`));
      assert.ok(!listed.stdout.includes(json.key));

      const revoked = await cli(server.database.url, ['api-key', 'revoke', '--key', json.id]);
      assert.equal(revoked.code, 0, revoked.stderr);
      assert.equal((await scoped.get('/organizations')).status, 401);

      const unknown = await cli(server.database.url, ['api-key', 'revoke', '--key', 'key_nope']);
      assert.equal(unknown.code, 3);
      assert.match(unknown.stderr, /^error: API key key_nope does not exist/);
      const noOrg = await cli(server.database.url, ['api-key', 'create', '--org', 'org_nope']);
      assert.equal(noOrg.code, 3);
    });
  });
}
