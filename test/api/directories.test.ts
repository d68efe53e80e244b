/**
 * Directory management through the API, checked against the SCIM surface it controls: the
 * token from create works, inactive means 403, rotation keeps or revokes the old token, and
 * each change is an event. Settings go through the mapping-rules use cases.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { GROUP_URN, PATCH_OP, ScimClient, oktaUser } from '../support/scim-client.js';
import { api, createKey, errorCode, newTenant, type RawApi } from './helpers.js';

for (const { name, skip } of await dialects()) {
  describe(`directories through the API on ${name}`, { skip }, () => {
    let server: TestServer;
    let global: RawApi;
    before(async () => {
      server = await startTestServer(name);
      global = api(server, await createKey(server));
    });
    after(async () => server?.close());

    const scimFor = (scimBaseUrl: string, token: string) => new ScimClient(`${server.url}${new URL(scimBaseUrl).pathname}`, token);

    test('a global key creates an organization and a directory whose token works for SCIM', async () => {
      const org = await global.post('/organizations', { name: 'Acme' });
      assert.equal(org.status, 201);
      assert.match(org.body.id, /^org_/);
      assert.deepEqual((await global.get(`/organizations/${org.body.id}`)).body, org.body);

      const created = await global.post('/directories', { organizationId: org.body.id, provider: 'entra', name: 'Acme Entra' });
      assert.equal(created.status, 201, created.text);
      assert.match(created.headers.get('cache-control') ?? '', /no-store/);
      const { directory, scimBaseUrl, token } = created.body;
      assert.match(directory.id, /^dir_/);
      assert.equal(directory.provider, 'entra');
      assert.equal(directory.name, 'Acme Entra');
      assert.equal(directory.status, 'active');
      assert.equal(scimBaseUrl, `http://127.0.0.1/scim/v2/${directory.id}`);
      assert.equal(directory.scimBaseUrl, scimBaseUrl);
      assert.match(token, /^scimitar_scim_/);
      assert.equal((await scimFor(scimBaseUrl, token).post('/Users', oktaUser('dee@acme.example'))).status, 201);

      const fetched = await global.get(`/directories/${directory.id}`);
      assert.deepEqual(fetched.body, directory);
      assert.equal(fetched.body.token, undefined);
      const listed = await global.get(`/directories?organizationId=${org.body.id}`);
      assert.deepEqual(listed.body.data, [directory]);

      const noOrg = await global.post('/directories', { provider: 'okta' });
      assert.equal(noOrg.status, 400);
      assert.equal(errorCode(noOrg), 'invalid_value');
      assert.equal((await global.post('/directories', { organizationId: 'org_nope', provider: 'okta' })).status, 404);
    });

    test('a scoped key creates directories in its own organization without naming it', async () => {
      const tenant = await newTenant(server);
      const created = await tenant.api.post('/directories', { provider: 'generic' });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.directory.organizationId, tenant.organizationId);
      const list = await tenant.api.get('/directories');
      assert.deepEqual(list.body.data.map((d: { id: string }) => d.id).sort(), [tenant.directoryId, created.body.directory.id].sort());
    });

    test('PATCH status inactive makes SCIM answer 403, active resumes it, and each change is an event', async () => {
      const tenant = await newTenant(server);
      const dir = `/directories/${tenant.directoryId}`;
      const off = await tenant.api.patch(dir, { status: 'inactive' });
      assert.equal(off.status, 200);
      assert.equal(off.body.status, 'inactive');
      assert.equal((await tenant.scim.get('/Users')).status, 403);
      const on = await tenant.api.patch(dir, { status: 'active' });
      assert.equal(on.body.status, 'active');
      assert.equal((await tenant.scim.get('/Users')).status, 200);
      const events = await tenant.api.get(`/events?directoryId=${tenant.directoryId}`);
      assert.deepEqual(events.body.data.map((e: { type: string }) => e.type), ['directory.deactivated', 'directory.activated']);
    });

    test('token rotation keeps the old token for the grace period, or revokes it with revokeOld', async () => {
      const tenant = await newTenant(server);
      const path = `/directories/${tenant.directoryId}/token`;
      const first = await tenant.api.post(path, {});
      assert.equal(first.status, 200, first.text);
      assert.match(first.body.token, /^scimitar_scim_/);
      assert.ok(first.body.previousTokensExpireAt);
      const firstClient = scimFor(first.body.scimBaseUrl, first.body.token);
      assert.equal((await tenant.scim.get('/Users')).status, 200, 'the original token works during the grace period');
      assert.equal((await firstClient.get('/Users')).status, 200);

      const second = await tenant.api.request('POST', path, { body: { revokeOld: true } });
      assert.equal(second.body.previousTokensExpireAt, null);
      assert.equal((await tenant.scim.get('/Users')).status, 401);
      assert.equal((await firstClient.get('/Users')).status, 401);
      assert.equal((await scimFor(second.body.scimBaseUrl, second.body.token).get('/Users')).status, 200);

      // No body at all is the same as {}.
      const bare = await tenant.api.request('POST', path);
      assert.equal(bare.status, 200, bare.text);
      const rotations = await tenant.api.get(`/events?directoryId=${tenant.directoryId}`);
      assert.deepEqual(rotations.body.data.map((e: { type: string }) => e.type), ['directory.token_rotated', 'directory.token_rotated', 'directory.token_rotated']);
      assert.equal(rotations.body.data[0].data.tokenId, first.body.tokenId);
    });

    test('settings: read, change roles from groups, and see the roles on the normalized users', async () => {
      const tenant = await newTenant(server);
      const dir = `/directories/${tenant.directoryId}`;
      const initial = await tenant.api.get(`${dir}/settings`);
      assert.equal(initial.status, 200);
      assert.deepEqual(initial.body, { roles: { mappings: [] }, departmentGroups: { enabled: false } });

      const user = await tenant.scim.post('/Users', oktaUser('eve@acme.example'));
      const group = await tenant.scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Envi_Admin' });
      await tenant.scim.patch(`/Groups/${group.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: user.body.id }] }] });

      const updated = await tenant.api.patch(`${dir}/settings`, { roles: { prefix: 'Envi_' } });
      assert.equal(updated.status, 200, updated.text);
      assert.equal(updated.body.roles.prefix, 'Envi_');
      const read = await tenant.api.get(`${dir}/users/${user.body.id}`);
      assert.deepEqual(read.body.roles, ['Admin']);
      const g = await tenant.api.get(`${dir}/groups/${group.body.id}`);
      assert.deepEqual(g.body.roles, ['Admin']);
      const unknownKey = await tenant.api.patch(`${dir}/settings`, { departmentGroup: { enabled: true } });
      assert.equal(unknownKey.status, 400);
    });
  });
}
