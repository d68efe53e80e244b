/**
 * Okta conformance, errors and discovery: every failure Okta (or an admin running Okta's SCIM
 * spec test) can provoke answers the RFC 7644 §3.12 error shape as application/scim+json, and
 * the discovery endpoints advertise what the server does.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../support/databases.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ENTERPRISE_URN, GROUP_URN, USER_URN, oktaUser, type ScimClient } from '../../support/scim-client.js';
import { LIST_URN, assertScimError, filtered, patchOp, userNameLookup } from './okta.js';

const MiB = 1024 * 1024;

for (const { name, skip } of await dialects()) {
  describe(`Okta errors and discovery on ${name}`, { skip }, () => {
    let server: TestServer;
    let client: ScimClient;
    let directoryId: string;
    let userId: string;

    before(async () => {
      server = await startTestServer(name);
      ({ client, directoryId } = await server.newDirectory());
      const created = await client.post('/Users', oktaUser('err@example.com', { title: 'Tester' }));
      assert.equal(created.status, 201);
      userId = created.body.id;
    });
    after(async () => server?.close());

    test('invalid JSON gets 400 invalidSyntax', async () => {
      assertScimError(await client.post('/Users', '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":'), 400, 'invalidSyntax');
      assertScimError(await client.patch(`/Users/${userId}`, '{not json}'), 400, 'invalidSyntax');
      assertScimError(await client.put(`/Users/${userId}`, ''), 400, 'invalidSyntax');
      assertScimError(await client.post('/Users', '[1,2]'), 400, 'invalidSyntax');
    });

    test('a text/plain body gets 415', async () => {
      const res = await client.post('/Users', JSON.stringify(oktaUser('plain@example.com')), { 'content-type': 'text/plain' });
      assertScimError(res, 415);
      assert.equal((await client.get(userNameLookup('plain@example.com'))).body.totalResults, 0);
    });

    test('a body over 1 MiB gets 413; one just under is accepted', async () => {
      const big = oktaUser('big@example.com', { nickName: 'x'.repeat(MiB + 10) });
      assertScimError(await client.post('/Users', big), 413);
      assertScimError(await client.patch(`/Users/${userId}`, patchOp({ op: 'replace', path: 'nickName', value: 'y'.repeat(MiB + 10) })), 413);
      const fits = oktaUser('fits@example.com', { nickName: 'x'.repeat(MiB - 4096) });
      assert.equal((await client.post('/Users', fits)).status, 201);
    });

    test('PATCH of an unknown attribute path gets 400 invalidPath', async () => {
      assertScimError(await client.patch(`/Users/${userId}`, patchOp({ op: 'replace', path: 'favoriteColor', value: 'blue' })), 400, 'invalidPath');
      assertScimError(await client.patch(`/Users/${userId}`, patchOp({ op: 'replace', path: 'name.nickname', value: 'x' })), 400, 'invalidPath');
      assertScimError(await client.patch(`/Users/${userId}`, patchOp({ op: 'replace', path: `${ENTERPRISE_URN}:shoeSize`, value: '9' })), 400, 'invalidPath');
      assertScimError(await client.patch(`/Users/${userId}`, patchOp({ op: 'replace', path: 'emails[type eq', value: 'x' })), 400, 'invalidPath');
    });

    test('PATCH of readOnly id or meta by path gets 400 mutability', async () => {
      for (const [path, value] of [
        ['id', 'usr_other'],
        ['meta', { created: '2000-01-01T00:00:00Z' }],
        ['meta.lastModified', '2000-01-01T00:00:00Z'],
        ['groups', [{ value: 'grp_x' }]],
      ] as const) {
        const res = await client.patch(`/Users/${userId}`, patchOp({ op: 'replace', path, value }));
        assertScimError(res, 400, 'mutability');
      }
      assertScimError(await client.patch(`/Users/${userId}`, patchOp({ op: 'remove', path: 'id' })), 400, 'mutability');
      assert.equal((await client.get(`/Users/${userId}`)).body.id, userId);
    });

    test('a malformed filter or a filter on an unsupported attribute gets 400 invalidFilter', async () => {
      for (const filter of ['userName eq', "userName eq 'x'", 'userName xx "a"', '(userName eq "a"', 'userName eq "a" and', 'not userName eq "a"']) {
        assertScimError(await client.get(filtered('Users', filter)), 400, 'invalidFilter');
      }
      for (const filter of ['title eq "Tester"', 'nickName pr', `${ENTERPRISE_URN}:department eq "x"`, 'emails[display eq "x"]']) {
        const res = await client.get(filtered('Users', filter));
        assertScimError(res, 400, 'invalidFilter');
      }
      assertScimError(await client.get(filtered('Groups', 'members.display eq "x"')), 400, 'invalidFilter');
    });

    test('a non-numeric startIndex or count gets 400', async () => {
      for (const query of ['startIndex=abc&count=100', 'startIndex=1&count=ten', 'startIndex=1.5&count=100']) {
        const res = await client.get(`/Users?${query}`);
        assertScimError(res, 400);
        assert.equal(res.body.scimType, 'invalidValue');
      }
    });

    test('a startIndex too large for the database gets 400 invalidValue, not 500', async () => {
      for (const startIndex of ['99999999999999999999', '9223372036854775808', '9007199254740993']) {
        const res = await client.get(`/Users?startIndex=${startIndex}&count=100`);
        assertScimError(res, 400, 'invalidValue');
        assertScimError(await client.post('/Users/.search', { startIndex: Number(startIndex), count: 10 }), 400);
      }
      // The largest accepted value still answers an empty page.
      const edge = await client.get(`/Users?startIndex=${Number.MAX_SAFE_INTEGER}&count=100`);
      assert.equal(edge.status, 200, edge.text);
      assert.deepEqual(edge.body.Resources, []);
      assert.equal(edge.body.totalResults, (await client.get('/Users?count=0')).body.totalResults);
    });

    test('an unknown route under a directory gets a 404 SCIM error, not HTML', async () => {
      for (const path of ['/Foo', '/Users/x/y', '/Bulk', '/Me']) {
        const res = await client.get(path);
        assertScimError(res, 404);
        assert.ok(!res.text.trimStart().startsWith('<'));
      }
      // Without credentials the route is not even confirmed to exist.
      assertScimError(await client.withAuthorization('Bearer nope').get('/Foo'), 401);
    });

    test('a wrong method on /ServiceProviderConfig gets 405 with Allow', async () => {
      const res = await client.post('/ServiceProviderConfig', {});
      assertScimError(res, 405);
      assert.equal(res.headers.get('allow'), 'GET');
      const del = await client.delete('/Users');
      assertScimError(del, 405);
      assert.deepEqual(del.headers.get('allow')?.split(/,\s*/).sort(), ['GET', 'POST']);
      const post = await client.post(`/Users/${userId}`, oktaUser('x@example.com'));
      assertScimError(post, 405);
      assert.deepEqual(post.headers.get('allow')?.split(/,\s*/).sort(), ['DELETE', 'GET', 'PATCH', 'PUT']);
    });

    test('PATCH without schemas gets 400 invalidSyntax', async () => {
      const res = await client.patch(`/Users/${userId}`, { Operations: [{ op: 'replace', value: { active: false } }] });
      assertScimError(res, 400, 'invalidSyntax');
      assertScimError(await client.patch(`/Users/${userId}`, { schemas: [USER_URN], Operations: [{ op: 'replace', value: { active: false } }] }), 400, 'invalidSyntax');
      assertScimError(await client.patch(`/Users/${userId}`, patchOp()), 400, 'invalidSyntax');
      assertScimError(await client.patch(`/Users/${userId}`, patchOp({ op: 'frobnicate', path: 'title', value: 'x' })), 400, 'invalidSyntax');
      assert.equal((await client.get(`/Users/${userId}`)).body.active, true);
    });

    test('a PATCH whose third operation fails leaves the user unchanged', async () => {
      const before = await client.get(`/Users/${userId}`);
      const res = await client.patch(
        `/Users/${userId}`,
        patchOp(
          { op: 'replace', path: 'displayName', value: 'Changed Name' },
          { op: 'replace', value: { active: false, title: 'Changed' } },
          { op: 'replace', path: 'notAnAttribute', value: 'x' },
        ),
      );
      assertScimError(res, 400, 'invalidPath');
      assert.match(res.body.detail, /Operations\[2\]/);
      const after = await client.get(`/Users/${userId}`);
      assert.deepEqual(after.body, before.body);
      assert.equal(after.headers.get('etag'), before.headers.get('etag'));
    });

    test('a user without userName gets 400 invalidValue', async () => {
      const { userName: _u, ...noUserName } = oktaUser('nobody@example.com');
      assertScimError(await client.post('/Users', noUserName), 400, 'invalidValue');
      assertScimError(await client.post('/Users', { ...noUserName, userName: '   ' }), 400, 'invalidValue');
      assertScimError(await client.post('/Users', { ...noUserName, userName: 42 }), 400, 'invalidValue');
      assertScimError(await client.put(`/Users/${userId}`, noUserName), 400, 'invalidValue');
      assertScimError(await client.patch(`/Users/${userId}`, patchOp({ op: 'remove', path: 'userName' })), 400, 'invalidValue');
      assertScimError(await client.post('/Groups', { schemas: [GROUP_URN] }), 400, 'invalidValue');
      assert.equal((await client.get(`/Users/${userId}`)).body.userName, 'err@example.com');
    });

    test('an inactive directory answers 403 saying it is disabled, and 200 once active again', async () => {
      const dir = await server.newDirectory();
      const admin = server.server.scimitar.admin;
      await admin.setDirectoryStatus({ directoryId: dir.directoryId, status: 'inactive' });
      for (const res of [await dir.client.get('/Users?startIndex=1&count=1'), await dir.client.post('/Users', oktaUser('off@example.com'))]) {
        assertScimError(res, 403);
        assert.match(res.body.detail, /disabled/i);
      }
      // A wrong token is still a 401: the 403 is only for the directory's own credentials.
      assertScimError(await dir.client.withAuthorization('Bearer wrong').get('/Users'), 401);
      await admin.setDirectoryStatus({ directoryId: dir.directoryId, status: 'active' });
      const list = await dir.client.get('/Users?startIndex=1&count=1');
      assert.equal(list.status, 200, list.text);
      assert.equal(list.body.totalResults, 0, 'the refused POST created nothing');
    });

    test('failures are in the request log with their scimType', async () => {
      const log = await server.server.scimitar.admin.requestLog({ directoryId, errorsOnly: true, limit: 1000 });
      assert.ok(log.length > 0);
      assert.ok(log.every((e) => e.status >= 400));
      assert.ok(log.some((e) => e.scimType === 'invalidFilter' && e.query?.includes('title eq "Tester"')));
      assert.ok(log.some((e) => e.status === 415));
    });

    test('Okta reads /ServiceProviderConfig: patch, filter with maxResults and etag supported', async () => {
      const res = await client.get('/ServiceProviderConfig');
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/scim\+json/);
      const spc = res.body;
      assert.ok(spc.schemas.includes('urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'));
      assert.equal(spc.patch.supported, true);
      assert.equal(spc.filter.supported, true);
      assert.ok(Number.isInteger(spc.filter.maxResults) && spc.filter.maxResults >= 100, 'Okta pages by 100');
      assert.equal(spc.etag.supported, true);
      assert.equal(spc.bulk.supported, false);
      assert.equal(spc.changePassword.supported, false);
      assert.equal(spc.sort.supported, false);
      assert.ok(spc.authenticationSchemes.some((s: { type: string }) => s.type === 'oauthbearertoken'));
    });

    test('Okta reads /ResourceTypes, /Schemas and /Schemas/<User URN>', async () => {
      const types = await client.get('/ResourceTypes');
      assert.equal(types.status, 200, types.text);
      assert.deepEqual(types.body.schemas, [LIST_URN]);
      const byId = new Map(types.body.Resources.map((t: { id: string }) => [t.id, t]));
      const user = byId.get('User') as Record<string, any>;
      const group = byId.get('Group') as Record<string, any>;
      assert.equal(user.endpoint, '/Users');
      assert.equal(user.schema, USER_URN);
      assert.ok(user.schemaExtensions.some((e: { schema: string }) => e.schema === ENTERPRISE_URN));
      assert.equal(group.endpoint, '/Groups');
      assert.equal(group.schema, GROUP_URN);
      assert.equal((await client.get('/ResourceTypes/User')).body.id, 'User');

      const schemas = await client.get('/Schemas');
      assert.equal(schemas.status, 200);
      const ids = schemas.body.Resources.map((s: { id: string }) => s.id);
      for (const urn of [USER_URN, GROUP_URN, ENTERPRISE_URN]) assert.ok(ids.includes(urn), urn);

      const one = await client.get(`/Schemas/${USER_URN}`);
      assert.equal(one.status, 200, one.text);
      assert.equal(one.body.id, USER_URN);
      const userName = one.body.attributes.find((a: { name: string }) => a.name === 'userName');
      assert.equal(userName.required, true);
      assert.equal(userName.uniqueness, 'server');
      const password = one.body.attributes.find((a: { name: string }) => a.name === 'password');
      assert.equal(password.returned, 'never');
      assertScimError(await client.get('/Schemas/urn:example:nope'), 404);
    });

    test('application/json is accepted as Accept and Content-Type', async () => {
      const headers = { accept: 'application/json', 'content-type': 'application/json' };
      const created = await client.post('/Users', oktaUser('json@example.com'), headers);
      assert.equal(created.status, 201, created.text);
      assert.match(created.headers.get('content-type') ?? '', /json/);
      const patched = await client.patch(`/Users/${created.body.id}`, patchOp({ op: 'replace', value: { active: false } }), headers);
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.body.active, false);
      const got = await client.get(`/Users/${created.body.id}`, { accept: 'application/json' });
      assert.equal(got.status, 200);
      assert.equal(got.body.userName, 'json@example.com');
      const charset = await client.post('/Users', oktaUser('charset@example.com'), { 'content-type': 'application/json; charset=utf-8' });
      assert.equal(charset.status, 201, charset.text);
    });
  });
}
