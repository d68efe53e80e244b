/**
 * `scimitar/client` against the live server: every route family through the typed methods,
 * async iteration over pages, the events cursor, typed errors, and the re-exported verifyWebhook.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ScimitarApiError, ScimitarClient, verifyWebhook, WebhookVerificationError, type DirectoryUser } from '../../src/client/index.js';
import { signWebhook } from '../../src/events/signature.js';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { GROUP_URN, PATCH_OP, ScimClient, oktaUser } from '../support/scim-client.js';
import { createKey } from './helpers.js';

async function rejectsWith(promise: Promise<unknown>, status: number, code: string): Promise<ScimitarApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ScimitarApiError, String(error));
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    assert.ok(error.message.length > 0);
    assert.ok(error.requestId);
    return error;
  }
  assert.fail(`expected ${status} ${code}`);
}

for (const { name, skip } of await dialects()) {
  describe(`scimitar/client on ${name}`, { skip }, () => {
    let server: TestServer;
    let client: ScimitarClient;
    before(async () => {
      server = await startTestServer(name);
      client = new ScimitarClient({ baseUrl: server.url, apiKey: await createKey(server) });
    });
    after(async () => server?.close());

    test('is exported as scimitar/client with types', () => {
      const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
      assert.deepEqual(pkg.exports['./client'], { types: './dist/client/index.d.ts', default: './dist/client/index.js' });
    });

    test('organizations and directories: create, read, status, rotate, settings', async () => {
      const org = await client.organizations.create({ name: 'Client Co' });
      assert.deepEqual(await client.organizations.get(org.id), org);
      assert.ok((await client.organizations.list()).some((o) => o.id === org.id));
      const created = await client.directories.create({ organizationId: org.id, provider: 'okta' });
      assert.match(created.token, /^scimitar_scim_/);
      assert.deepEqual(await client.directories.get(created.directory.id), created.directory);
      assert.deepEqual(await client.directories.list({ organizationId: org.id }), [created.directory]);
      assert.equal((await client.directories.setStatus(created.directory.id, 'inactive')).status, 'inactive');
      assert.equal((await client.directories.setStatus(created.directory.id, 'active')).status, 'active');
      const rotated = await client.directories.rotateToken(created.directory.id, { revokeOld: true });
      assert.equal(rotated.previousTokensExpireAt, null);
      const scim = new ScimClient(`${server.url}/scim/v2/${created.directory.id}`, rotated.token);
      assert.equal((await scim.get('/Users')).status, 200);
      const settings = await client.directories.updateSettings<{ departmentGroups: { enabled: boolean } }>(created.directory.id, { departmentGroups: { enabled: true } });
      assert.equal(settings.departmentGroups.enabled, true);
      assert.deepEqual(await client.directories.getSettings(created.directory.id), settings);
    });

    test('listUsers iterates every page; groups, members and single reads; events.poll resumes', async () => {
      const org = await client.organizations.create({ name: 'Iterate' });
      const { directory, token } = await client.directories.create({ organizationId: org.id, provider: 'okta' });
      const scim = new ScimClient(`${server.url}/scim/v2/${directory.id}`, token);
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push((await scim.post('/Users', oktaUser(`it${i}@acme.example`))).body.id);
      const group = await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Iterators' });
      await scim.patch(`/Groups/${group.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: ids.slice(0, 5).map((value) => ({ value })) }] });

      const seen: DirectoryUser[] = [];
      for await (const user of client.listUsers(directory.id, { limit: 2 })) seen.push(user);
      assert.deepEqual(seen.map((u) => u.id), ids);
      let pages = 0;
      for await (const page of client.listUsers(directory.id, { limit: 3 }).pages()) pages += page.data.length > 0 ? 1 : 0;
      assert.equal(pages, 3);
      assert.deepEqual((await client.listUsers(directory.id, { email: 'IT3@acme.example' }).toArray()).map((u) => u.id), [ids[3]]);
      assert.deepEqual((await client.listUsers(directory.id, { groupId: group.body.id, limit: 2 }).toArray()).map((u) => u.id), ids.slice(0, 5));
      assert.deepEqual((await client.listGroupMembers(directory.id, group.body.id, { limit: 4 }).toArray()).map((u) => u.id), ids.slice(0, 5));
      const [g] = await client.listGroups(directory.id).toArray();
      assert.equal(g!.memberCount, 5);
      assert.deepEqual(await client.getGroup(directory.id, g!.id), g);
      assert.equal((await client.getUser(directory.id, ids[0]!)).groups[0]!.name, 'Iterators');

      const first = await client.events.poll({ directoryId: directory.id, limit: 5 });
      assert.equal(first.data.length, 5);
      const rest = await client.events.poll({ directoryId: directory.id, after: first.nextCursor, limit: 100 });
      assert.deepEqual([...first.data, ...rest.data].map((e) => e.sequence), Array.from({ length: 13 }, (_, i) => i + 1));
      const idle = await client.events.poll({ directoryId: directory.id, after: rest.nextCursor });
      assert.deepEqual(idle, { data: [], nextCursor: rest.nextCursor });
    });

    test('webhook endpoints through the client', async () => {
      const org = await client.organizations.create({ name: 'Hooks' });
      const { endpoint, secret } = await client.webhooks.create({ organizationId: org.id, url: 'http://127.0.0.1:9/hook', eventTypes: ['user.created'], enabled: false });
      assert.match(secret, /^whsec_/);
      assert.deepEqual(await client.webhooks.get(endpoint.id), endpoint);
      assert.deepEqual((await client.webhooks.list({ organizationId: org.id })).filter((e) => e.organizationId === org.id), [endpoint]);
      const updated = await client.webhooks.update(endpoint.id, { eventTypes: ['*'] });
      assert.deepEqual(updated.eventTypes, ['*']);
      assert.deepEqual(await client.webhooks.attempts(endpoint.id), []);
      assert.deepEqual(await client.webhooks.deadLetters(endpoint.id), []);
      assert.deepEqual(await client.webhooks.redeliver(endpoint.id, { allDead: true }), { queued: 0 });
      await rejectsWith(client.webhooks.redeliver(endpoint.id, { eventId: 'evt_nope' }), 404, 'not_found');
      await client.webhooks.delete(endpoint.id);
      await rejectsWith(client.webhooks.get(endpoint.id), 404, 'not_found');
    });

    test('errors are ScimitarApiError with status, code and message; baseUrl may name /api/v1', async () => {
      await rejectsWith(client.directories.get('dir_nope'), 404, 'not_found');
      await rejectsWith(client.directories.create({ provider: 'okta' }), 400, 'invalid_value');
      await rejectsWith(new ScimitarClient({ baseUrl: server.url, apiKey: 'scimitar_key_wrong' }).organizations.list(), 401, 'unauthenticated');
      const org = await client.organizations.create({ name: 'Scoped' });
      const scoped = new ScimitarClient({ baseUrl: `${server.url}/api/v1/`, apiKey: await createKey(server, org.id) });
      assert.deepEqual((await scoped.organizations.list()).map((o) => o.id), [org.id]);
      await rejectsWith(scoped.organizations.create({ name: 'No' }), 403, 'forbidden');
    });

    test('verifyWebhook is re-exported and checks Standard Webhooks signatures', () => {
      const secret = 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');
      const body = JSON.stringify({ type: 'user.created' });
      const now = new Date();
      const timestamp = Math.floor(now.getTime() / 1000);
      const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(secret, 'evt_1', timestamp, body) };
      assert.deepEqual(verifyWebhook(body, headers, secret, { now }), { type: 'user.created' });
      assert.throws(() => verifyWebhook(body + ' ', headers, secret, { now }), WebhookVerificationError);
    });
  });
}
