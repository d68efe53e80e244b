/**
 * Tenancy, the first security property of the API: a key scoped to organization A never sees
 * organization B's organization, directories, users, groups, events or webhook endpoints, nor
 * the global endpoints. Everything of B answers 404 exactly like something that does not exist,
 * and nothing of B changes when A tries.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { GROUP_URN, PATCH_OP, oktaUser } from '../support/scim-client.js';
import { api, createKey, errorCode, newTenant, type RawApi, type Tenant } from './helpers.js';

async function seed(tenant: Tenant, prefix: string): Promise<{ userId: string; groupId: string }> {
  const user = await tenant.scim.post('/Users', oktaUser(`${prefix}@example.com`));
  assert.equal(user.status, 201);
  const group = await tenant.scim.post('/Groups', { schemas: [GROUP_URN], displayName: `${prefix} team` });
  assert.equal(group.status, 201);
  const patched = await tenant.scim.patch(`/Groups/${group.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: user.body.id }] }] });
  assert.equal(patched.status, 204);
  return { userId: user.body.id, groupId: group.body.id };
}

async function assertNotFound(client: RawApi, method: string, path: string, body?: unknown): Promise<void> {
  const result = await client.request(method, path, body === undefined ? {} : { body });
  assert.equal(result.status, 404, `${method} ${path}: ${result.text}`);
  assert.equal(errorCode(result), 'not_found');
}

for (const { name, skip } of await dialects()) {
  describe(`tenancy on ${name}`, { skip }, () => {
    let server: TestServer;
    let a: Tenant;
    let b: Tenant;
    let bIds: { userId: string; groupId: string };
    let aIds: { userId: string; groupId: string };
    let global: RawApi;

    before(async () => {
      server = await startTestServer(name);
      a = await newTenant(server);
      b = await newTenant(server);
      aIds = await seed(a, 'ann');
      bIds = await seed(b, 'bob');
      global = api(server, await createKey(server));
    });
    after(async () => server?.close());

    test('organizations and directories of another organization are invisible', async () => {
      const orgs = await a.api.get('/organizations');
      assert.deepEqual(orgs.body.data.map((o: { id: string }) => o.id), [a.organizationId]);
      await assertNotFound(a.api, 'GET', `/organizations/${b.organizationId}`);
      const dirs = await a.api.get('/directories');
      assert.deepEqual(dirs.body.data.map((d: { id: string }) => d.id), [a.directoryId]);
      await assertNotFound(a.api, 'GET', `/directories?organizationId=${b.organizationId}`);
      const dirB = `/directories/${b.directoryId}`;
      await assertNotFound(a.api, 'GET', dirB);
      await assertNotFound(a.api, 'PATCH', dirB, { status: 'inactive' });
      await assertNotFound(a.api, 'POST', `${dirB}/token`, { revokeOld: true });
      await assertNotFound(a.api, 'GET', `${dirB}/settings`);
      await assertNotFound(a.api, 'PATCH', `${dirB}/settings`, { departmentGroups: { enabled: true } });
      await assertNotFound(a.api, 'POST', '/directories', { organizationId: b.organizationId, provider: 'okta' });
      const create = await a.api.post('/organizations', { name: 'Mine now' });
      assert.equal(create.status, 403);
      assert.equal(errorCode(create), 'forbidden');

      // Nothing of B moved: its directory is active and its original token still works.
      const seen = await global.get(dirB);
      assert.equal(seen.body.status, 'active');
      assert.equal((await b.scim.get('/Users?count=1')).status, 200);
      assert.equal((await global.get(`${dirB}/settings`)).body.departmentGroups.enabled, false);
      assert.equal((await global.get(`/directories?organizationId=${b.organizationId}`)).body.data.length, 1);
    });

    test('users and groups of another organization are invisible, even through the own directory path', async () => {
      const dirB = `/directories/${b.directoryId}`;
      const dirA = `/directories/${a.directoryId}`;
      for (const path of [
        `${dirB}/users`,
        `${dirB}/users/${bIds.userId}`,
        `${dirB}/groups`,
        `${dirB}/groups/${bIds.groupId}`,
        `${dirB}/groups/${bIds.groupId}/members`,
        `${dirA}/users/${bIds.userId}`,
        `${dirA}/groups/${bIds.groupId}`,
        `${dirA}/groups/${bIds.groupId}/members`,
      ]) {
        await assertNotFound(a.api, 'GET', path);
      }
      // A user of B named as a group filter in A's directory matches nothing.
      const filtered = await a.api.get(`${dirA}/users?groupId=${bIds.groupId}`);
      assert.equal(filtered.status, 200);
      assert.deepEqual(filtered.body.data, []);
      const own = await a.api.get(`${dirA}/users`);
      assert.deepEqual(own.body.data.map((u: { id: string }) => u.id), [aIds.userId]);
      // And B's own key sees its user, so the 404s above were about scope, not existence.
      assert.equal((await b.api.get(`${dirB}/users/${bIds.userId}`)).status, 200);
    });

    test('events of another organization never reach the key, whatever the filters or cursor', async () => {
      const all = await a.api.get('/events?limit=1000');
      assert.equal(all.status, 200);
      assert.ok(all.body.data.length > 0);
      assert.ok(all.body.data.every((e: { organizationId: string; directoryId: string }) => e.organizationId === a.organizationId && e.directoryId === a.directoryId));
      await assertNotFound(a.api, 'GET', `/events?directoryId=${b.directoryId}`);
      await assertNotFound(a.api, 'GET', `/events?organizationId=${b.organizationId}`);
      // A cursor naming B's directory (at sequence 0) does not open it.
      const forged = Buffer.from(JSON.stringify({ [b.directoryId]: 0 })).toString('base64url');
      const withForged = await a.api.get(`/events?after=${forged}&limit=1000`);
      assert.equal(withForged.status, 200);
      assert.ok(withForged.body.data.every((e: { organizationId: string }) => e.organizationId === a.organizationId));
      // The global key sees both.
      const everything = await global.get('/events?limit=1000');
      const orgs = new Set(everything.body.data.map((e: { organizationId: string }) => e.organizationId));
      assert.ok(orgs.has(a.organizationId) && orgs.has(b.organizationId));
    });

    test('webhook endpoints of another organization, and global ones, are invisible', async () => {
      const ofB = await global.post('/webhook-endpoints', { organizationId: b.organizationId, url: 'http://127.0.0.1:9/b', enabled: false });
      assert.equal(ofB.status, 201, ofB.text);
      const globalEndpoint = await global.post('/webhook-endpoints', { url: 'http://127.0.0.1:9/all', enabled: false });
      assert.equal(globalEndpoint.status, 201, globalEndpoint.text);
      assert.equal(globalEndpoint.body.endpoint.organizationId, null);

      const own = await a.api.post('/webhook-endpoints', { url: 'http://127.0.0.1:9/a', enabled: false });
      assert.equal(own.status, 201, own.text);
      assert.equal(own.body.endpoint.organizationId, a.organizationId);
      assert.match(own.body.secret, /^whsec_/);

      const listed = await a.api.get('/webhook-endpoints');
      assert.deepEqual(listed.body.data.map((e: { id: string }) => e.id), [own.body.endpoint.id]);
      await assertNotFound(a.api, 'GET', `/webhook-endpoints?organizationId=${b.organizationId}`);
      await assertNotFound(a.api, 'POST', '/webhook-endpoints', { organizationId: b.organizationId, url: 'http://127.0.0.1:9/x' });
      for (const id of [ofB.body.endpoint.id, globalEndpoint.body.endpoint.id]) {
        const base = `/webhook-endpoints/${id}`;
        await assertNotFound(a.api, 'GET', base);
        await assertNotFound(a.api, 'PATCH', base, { enabled: true });
        await assertNotFound(a.api, 'GET', `${base}/attempts`);
        await assertNotFound(a.api, 'GET', `${base}/dead-letters`);
        await assertNotFound(a.api, 'POST', `${base}/redeliver`, { allDead: true });
        await assertNotFound(a.api, 'DELETE', base);
        // still there, unchanged
        const still = await global.get(base);
        assert.equal(still.status, 200);
        assert.equal(still.body.enabled, false);
      }
      // The global key lists everything; B's key sees only B's.
      assert.equal((await global.get('/webhook-endpoints')).body.data.length, 3);
      assert.deepEqual((await b.api.get('/webhook-endpoints')).body.data.map((e: { id: string }) => e.id), [ofB.body.endpoint.id]);
    });
  });
}
