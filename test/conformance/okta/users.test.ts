/**
 * Okta conformance, users: Test API Credentials with each authentication template, then the
 * request sequences of Create User (existence check, POST), Update User (PUT of the full
 * profile), deactivate/reactivate (PATCH active), extension attributes and DELETE.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../support/databases.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ENTERPRISE_URN, ScimClient, USER_URN, oktaUser } from '../../support/scim-client.js';
import { DEACTIVATE, LIST_URN, REACTIVATE, assertScimError, userNameLookup } from './okta.js';

const PASSWORD = 'Sup3r-secret!';
const CUSTOM_URN = 'urn:okta:custom:1.0:User';

for (const { name, skip } of await dialects()) {
  describe(`Okta users on ${name}`, { skip }, () => {
    let server: TestServer;
    before(async () => (server = await startTestServer(name)));
    after(async () => server?.close());

    test('Okta Test API Credentials succeeds with the OAuth Bearer Token template', async () => {
      const { client } = await server.newDirectory();
      const list = await client.get('/Users?startIndex=1&count=1');
      assert.equal(list.status, 200, list.text);
      assert.match(list.headers.get('content-type') ?? '', /^application\/scim\+json/);
      assert.deepEqual(list.body.schemas, [LIST_URN]);
      assert.equal(list.body.totalResults, 0);
      assert.deepEqual(list.body.Resources, []);
      const spc = await client.get('/ServiceProviderConfig');
      assert.equal(spc.status, 200, spc.text);
      assert.equal(spc.body.patch.supported, true);
    });

    test('Okta Test API Credentials succeeds with the Header Auth template (raw token and typed "Bearer <token>")', async () => {
      const { client, token } = await server.newDirectory();
      for (const value of [token, `Bearer ${token}`, `bearer ${token}`]) {
        const c = client.withAuthorization(value);
        const list = await c.get('/Users?startIndex=1&count=1');
        assert.equal(list.status, 200, `${value.slice(0, 7)}…: ${list.text}`);
        assert.equal((await c.get('/ServiceProviderConfig')).status, 200);
      }
    });

    test('Okta Test API Credentials succeeds with Basic auth carrying the token as password', async () => {
      const { client, token } = await server.newDirectory();
      const basic = client.withAuthorization(`Basic ${Buffer.from(`okta:${token}`).toString('base64')}`);
      assert.equal((await basic.get('/Users?startIndex=1&count=1')).status, 200);
      assert.equal((await basic.get('/ServiceProviderConfig')).status, 200);
    });

    test('Okta configured with a base URL ending in "/" (so it requests //Users) still works', async () => {
      const { client, token } = await server.newDirectory();
      const slashed = new ScimClient(`${client.baseUrl}/`, token);
      assert.equal((await slashed.get('/Users?startIndex=1&count=1')).status, 200);
      assert.equal((await slashed.get('/ServiceProviderConfig')).status, 200);
      const created = await slashed.post('/Users', oktaUser('slash@example.com'));
      assert.equal(created.status, 201, created.text);
      assert.equal((await client.get(userNameLookup('slash@example.com'))).body.Resources[0].id, created.body.id);
    });

    test('Okta Test API Credentials with a missing or wrong token gets a SCIM 401 with WWW-Authenticate', async () => {
      const { client, token } = await server.newDirectory();
      // No Authorization header at all (fetch directly: the support client always sends one).
      const bare = await fetch(`${client.baseUrl}/Users?startIndex=1&count=1`, { headers: { accept: 'application/scim+json' } });
      const bareText = await bare.text();
      assert.equal(bare.status, 401, bareText);
      assert.match(bare.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.equal(JSON.parse(bareText).status, '401');
      const cases = ['', 'Bearer ', `Bearer ${token}x`, token.slice(0, -1), `Basic ${Buffer.from('okta:nope').toString('base64')}`];
      for (const value of cases) {
        for (const path of ['/Users?startIndex=1&count=1', '/ServiceProviderConfig']) {
          const res = await client.withAuthorization(value).get(path);
          assertScimError(res, 401);
          assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/, `WWW-Authenticate for ${JSON.stringify(value)}`);
          assert.ok(!res.text.includes(token), 'the token is never echoed');
        }
      }
    });

    test("Okta with directory A's token on directory B's URL gets 401 and no data", async () => {
      const a = await server.newDirectory();
      const b = await server.newDirectory();
      const created = await b.client.post('/Users', oktaUser('bonly@example.com'));
      assert.equal(created.status, 201);
      const crossed = b.client.withAuthorization(`Bearer ${a.token}`);
      for (const path of ['/Users?startIndex=1&count=100', userNameLookup('bonly@example.com'), `/Users/${created.body.id}`]) {
        const res = await crossed.get(path);
        assertScimError(res, 401);
        assert.ok(!res.text.includes('bonly'), `no data leaks: ${res.text}`);
        assert.equal(res.body.Resources, undefined);
      }
      const write = await crossed.patch(`/Users/${created.body.id}`, DEACTIVATE);
      assertScimError(write, 401);
      assert.equal((await b.client.get(`/Users/${created.body.id}`)).body.active, true, 'the write did not happen');
    });

    test('Okta creates a user after an empty existence check; the response matches, never holds the password', async () => {
      const { client, directoryId } = await server.newDirectory();
      const before = await client.get(userNameLookup('carol@example.com'));
      assert.equal(before.status, 200);
      assert.equal(before.body.totalResults, 0);
      assert.deepEqual(before.body.Resources, []);

      const body = oktaUser('carol@example.com');
      const created = await client.post('/Users', body);
      assert.equal(created.status, 201, created.text);
      assert.match(created.headers.get('content-type') ?? '', /^application\/scim\+json/);
      const user = created.body;
      assert.equal(typeof user.id, 'string');
      assert.equal(created.headers.get('location'), user.meta.location);
      assert.ok(user.meta.location.endsWith(`/Users/${user.id}`));
      assert.equal(created.headers.get('etag'), user.meta.version);
      assert.equal(user.meta.resourceType, 'User');
      assert.ok(user.schemas.includes(USER_URN));
      assert.equal(user.userName, 'carol@example.com');
      assert.deepEqual(user.name, body['name']);
      assert.deepEqual(user.emails, body['emails']);
      assert.equal(user.displayName, body['displayName']);
      assert.equal(user.locale, 'en-US');
      assert.equal(user.externalId, body['externalId']);
      assert.equal(user.active, true);
      assert.equal(user.password, undefined);
      assert.ok(!created.text.includes(PASSWORD), 'password never returned');

      const got = await client.get(`/Users/${user.id}`);
      assert.equal(got.status, 200);
      assert.ok(!got.text.includes(PASSWORD));
      assert.equal(got.headers.get('etag'), got.body.meta.version);
      assert.deepEqual({ ...got.body, groups: undefined }, { ...user, groups: undefined });

      const log = await server.server.scimitar.admin.requestLog({ directoryId });
      const post = log.find((e) => e.method === 'POST' && e.path.endsWith('/Users'));
      assert.ok(post, 'the POST is in the request log');
      assert.equal(post.status, 201);
      assert.ok(post.requestBody?.includes('carol@example.com'));
      assert.ok(!JSON.stringify(log).includes(PASSWORD), 'the request log never holds the password');
    });

    test("Okta's existence check is case-insensitive and survives Okta's URL encoding (%2B, + for spaces)", async () => {
      const { client } = await server.newDirectory();
      const plus = await client.post('/Users', oktaUser('a+b@example.com'));
      const dave = await client.post('/Users', oktaUser('Dave.Smith@Example.com'));
      assert.equal(plus.status, 201);
      assert.equal(dave.status, 201);

      for (const spaces of ['%20', '+'] as const) {
        const p = await client.get(userNameLookup('A+B@EXAMPLE.COM', spaces));
        assert.equal(p.status, 200, p.text);
        assert.deepEqual(p.body.Resources.map((r: { id: string }) => r.id), [plus.body.id], `%2B with spaces as ${spaces}`);
        const d = await client.get(userNameLookup('dave.smith@example.com', spaces));
        assert.deepEqual(d.body.Resources.map((r: { id: string }) => r.id), [dave.body.id]);
        assert.equal(d.body.totalResults, 1);
        // %2B is a literal plus, never a space.
        const space = await client.get(userNameLookup('a b@example.com', spaces));
        assert.equal(space.body.totalResults, 0);
      }
      // Okta's raw form: `+` between the tokens, %22 quotes, %40 for @, %2B for the plus.
      const raw = await client.get('/Users?filter=userName+eq+%22a%2Bb%40example.com%22&startIndex=1&count=100');
      assert.equal(raw.body.totalResults, 1);
    });

    test('Okta creating a userName that exists in another case gets 409 uniqueness', async () => {
      const { client } = await server.newDirectory();
      assert.equal((await client.post('/Users', oktaUser('erin@example.com'))).status, 201);
      const dup = await client.post('/Users', oktaUser('ERIN@Example.COM'));
      assertScimError(dup, 409, 'uniqueness');
      const list = await client.get('/Users?startIndex=1&count=100');
      assert.equal(list.body.totalResults, 1);
    });

    test('Okta updates a profile with PUT: changes apply, left-out attributes disappear, readOnly ones are ignored', async () => {
      const { client, directoryId } = await server.newDirectory();
      const created = await client.post('/Users', oktaUser('frank@example.com', { title: 'Engineer', nickName: 'Frankie' }));
      const id = created.body.id;
      assert.equal(created.body.title, 'Engineer');
      const put = {
        schemas: [USER_URN],
        id: 'usr_someone_else',
        meta: { created: '2001-01-01T00:00:00Z', location: 'https://evil.example/Users/x', version: 'W/"99"' },
        groups: [{ value: 'grp_x', display: 'Nope' }],
        userName: 'frank@example.com',
        name: { givenName: 'Franklin', familyName: 'Tester' },
        emails: [{ primary: true, value: 'franklin@example.com', type: 'work' }],
        displayName: 'Franklin Tester',
        locale: 'en-US',
        externalId: created.body.externalId,
        title: 'Staff Engineer',
        password: PASSWORD,
        active: true,
      };
      const res = await client.put(`/Users/${id}`, put);
      assert.equal(res.status, 200, res.text);
      const u = res.body;
      assert.equal(u.id, id);
      assert.equal(u.title, 'Staff Engineer');
      assert.deepEqual(u.name, { givenName: 'Franklin', familyName: 'Tester' });
      assert.deepEqual(u.emails, [{ primary: true, value: 'franklin@example.com', type: 'work' }]);
      assert.equal(u.nickName, undefined, 'left out of the PUT, so removed');
      assert.equal(u.meta.created, created.body.meta.created);
      assert.equal(u.meta.location, created.body.meta.location);
      assert.notEqual(u.meta.version, created.body.meta.version);
      assert.equal(res.headers.get('etag'), u.meta.version);
      assert.ok(!JSON.stringify(u.groups ?? []).includes('grp_x'));

      const got = await client.get(`/Users/${id}`);
      assert.equal(got.body.nickName, undefined);
      assert.equal(got.body.title, 'Staff Engineer');
      assert.equal(got.body.meta.version, u.meta.version);
      assert.equal((await client.get('/Users/usr_someone_else')).status, 404);
      assert.ok(!res.text.includes(PASSWORD) && !got.text.includes(PASSWORD), 'a password sent on PUT is never returned');
      // The old address no longer finds the user; the new one does.
      const email = (v: string) => `/Users?filter=${encodeURIComponent(`emails.value eq "${v}"`)}&startIndex=1&count=100`;
      assert.equal((await client.get(email('frank@example.com'))).body.totalResults, 0);
      assert.equal((await client.get(email('franklin@example.com'))).body.Resources[0].id, id);
      const log = await server.server.scimitar.admin.requestLog({ directoryId });
      assert.ok(log.some((e) => e.method === 'PUT'));
      assert.ok(!JSON.stringify(log).includes(PASSWORD), 'the request log never holds the password');
    });

    test('Okta changing a userName with PUT moves the existence check; onto a taken userName it gets 409', async () => {
      const { client } = await server.newDirectory();
      const a = await client.post('/Users', oktaUser('first@example.com'));
      const b = await client.post('/Users', oktaUser('second@example.com'));
      const taken = await client.put(`/Users/${b.body.id}`, oktaUser('FIRST@example.com'));
      assertScimError(taken, 409, 'uniqueness');
      assert.equal((await client.get(`/Users/${b.body.id}`)).body.userName, 'second@example.com');

      const renamed = await client.put(`/Users/${b.body.id}`, oktaUser('renamed@example.com'));
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal(renamed.body.userName, 'renamed@example.com');
      assert.equal((await client.get(userNameLookup('second@example.com'))).body.totalResults, 0);
      assert.equal((await client.get(userNameLookup('Renamed@Example.com'))).body.Resources[0].id, b.body.id);
      assert.equal((await client.get(userNameLookup('first@example.com'))).body.Resources[0].id, a.body.id);
      // The old userName is free again.
      assert.equal((await client.post('/Users', oktaUser('second@example.com'))).status, 201);
    });

    test('Okta retrying Create User in parallel gets exactly one 201 and 409s for the rest', async () => {
      const { client } = await server.newDirectory();
      const results = await Promise.all([0, 1, 2, 3].map(() => client.post('/Users', oktaUser('retry@example.com'))));
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [201, 409, 409, 409], results.map((r) => r.text).join('\n'));
      for (const r of results.filter((x) => x.status === 409)) assertScimError(r, 409, 'uniqueness');
      assert.equal((await client.get(userNameLookup('retry@example.com'))).body.totalResults, 1);
    });

    test('Okta re-sending an identical PUT keeps meta.version and lastModified', async () => {
      const { client } = await server.newDirectory();
      const created = await client.post('/Users', oktaUser('gina@example.com'));
      const { id } = created.body;
      const profile = { ...oktaUser('gina@example.com'), id };
      const first = await client.put(`/Users/${id}`, profile);
      assert.equal(first.status, 200);
      assert.equal(first.body.meta.version, created.body.meta.version, 'the POST body re-sent changes nothing');
      const second = await client.put(`/Users/${id}`, { ...profile, meta: first.body.meta });
      assert.equal(second.body.meta.version, first.body.meta.version);
      assert.equal(second.body.meta.lastModified, first.body.meta.lastModified);
      assert.equal(second.headers.get('etag'), first.headers.get('etag'));
    });

    test('Okta deactivates with PATCH replace active=false and reactivates with active=true', async () => {
      const { client } = await server.newDirectory();
      const created = await client.post('/Users', oktaUser('hank@example.com'));
      const { id } = created.body;

      const off = await client.patch(`/Users/${id}`, DEACTIVATE);
      assert.equal(off.status, 200, off.text);
      assert.equal(off.body.active, false);
      assert.equal(off.body.userName, 'hank@example.com', 'other attributes untouched');
      assert.deepEqual(off.body.emails, created.body.emails);
      assert.notEqual(off.body.meta.version, created.body.meta.version);
      assert.equal((await client.get(`/Users/${id}`)).body.active, false);
      // Deactivated users remain visible to Okta's existence check and import.
      assert.equal((await client.get(userNameLookup('hank@example.com'))).body.Resources[0].active, false);

      const again = await client.patch(`/Users/${id}`, DEACTIVATE);
      assert.equal(again.status, 200);
      assert.equal(again.body.meta.version, off.body.meta.version, 'repeating a deactivate is a no-op');

      const on = await client.patch(`/Users/${id}`, REACTIVATE);
      assert.equal(on.status, 200, on.text);
      assert.equal(on.body.active, true);
      assert.equal((await client.get(`/Users/${id}`)).body.active, true);
    });

    test('Okta sends enterprise extension attributes (department, manager.value) and they round-trip', async () => {
      const { client } = await server.newDirectory();
      const boss = await client.post('/Users', oktaUser('boss@example.com'));
      const enterprise = { department: 'Engineering', employeeNumber: '1042', manager: { value: boss.body.id } };
      const created = await client.post('/Users', oktaUser('ivy@example.com', { schemas: [USER_URN, ENTERPRISE_URN], [ENTERPRISE_URN]: enterprise }));
      assert.equal(created.status, 201, created.text);
      assert.ok(created.body.schemas.includes(ENTERPRISE_URN));
      assert.deepEqual(created.body[ENTERPRISE_URN], enterprise);
      const got = await client.get(`/Users/${created.body.id}`);
      assert.deepEqual(got.body[ENTERPRISE_URN], enterprise);

      const moved = { department: 'Sales', manager: { value: boss.body.id } };
      const put = await client.put(`/Users/${created.body.id}`, oktaUser('ivy@example.com', { schemas: [USER_URN, ENTERPRISE_URN], [ENTERPRISE_URN]: moved }));
      assert.equal(put.status, 200, put.text);
      assert.deepEqual(put.body[ENTERPRISE_URN], moved, 'employeeNumber left out of the PUT is removed');

      const dropped = await client.put(`/Users/${created.body.id}`, oktaUser('ivy@example.com'));
      assert.equal(dropped.body[ENTERPRISE_URN], undefined);
      assert.ok(!dropped.body.schemas.includes(ENTERPRISE_URN), 'the extension URN leaves schemas with its data');
    });

    test('Okta sends a custom extension object (urn:okta:custom:1.0:User) and it round-trips as sent', async () => {
      const { client } = await server.newDirectory();
      const custom = { costCode: 'CC-7', isContractor: true, seats: 3, tags: ['a', 'b'], nested: { level: 'L2' } };
      const created = await client.post('/Users', oktaUser('jack@example.com', { schemas: [USER_URN, CUSTOM_URN], [CUSTOM_URN]: custom }));
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(created.body[CUSTOM_URN], custom);
      assert.ok(created.body.schemas.includes(CUSTOM_URN));
      const got = await client.get(`/Users/${created.body.id}`);
      assert.deepEqual(got.body[CUSTOM_URN], custom);

      const changed = { costCode: 'CC-8', isContractor: false };
      const put = await client.put(`/Users/${created.body.id}`, oktaUser('jack@example.com', { schemas: [USER_URN, CUSTOM_URN], [CUSTOM_URN]: changed }));
      assert.equal(put.status, 200, put.text);
      assert.deepEqual(put.body[CUSTOM_URN], changed);
    });

    test('Okta deletes a user: 204, then GET 404, the existence check finds nothing and the userName is free again', async () => {
      const { client } = await server.newDirectory();
      const created = await client.post('/Users', oktaUser('kim@example.com'));
      const { id } = created.body;
      const del = await client.delete(`/Users/${id}`);
      assert.equal(del.status, 204);
      assert.equal(del.text, '');
      assertScimError(await client.get(`/Users/${id}`), 404);
      assertScimError(await client.patch(`/Users/${id}`, DEACTIVATE), 404);
      assertScimError(await client.delete(`/Users/${id}`), 404);
      const lookup = await client.get(userNameLookup('kim@example.com'));
      assert.equal(lookup.body.totalResults, 0);
      assert.deepEqual(lookup.body.Resources, []);

      const again = await client.post('/Users', oktaUser('KIM@example.com'));
      assert.equal(again.status, 201, again.text);
      assert.notEqual(again.body.id, id);
      assert.equal((await client.get(userNameLookup('kim@example.com'))).body.Resources[0].id, again.body.id);
    });

    test('Okta writing with a stale If-Match ETag gets 412 and changes nothing', async () => {
      const { client } = await server.newDirectory();
      const created = await client.post('/Users', oktaUser('lee@example.com'));
      const { id } = created.body;
      const stale = created.headers.get('etag')!;
      const updated = await client.patch(`/Users/${id}`, DEACTIVATE, { 'if-match': stale });
      assert.equal(updated.status, 200, 'the current ETag matches');
      const current = updated.headers.get('etag')!;
      assert.notEqual(current, stale);

      assertScimError(await client.patch(`/Users/${id}`, REACTIVATE, { 'if-match': stale }), 412);
      assertScimError(await client.put(`/Users/${id}`, oktaUser('lee@example.com', { title: 'x' }), { 'if-match': stale }), 412);
      assertScimError(await client.delete(`/Users/${id}`, { 'if-match': stale }), 412);
      const got = await client.get(`/Users/${id}`);
      assert.equal(got.status, 200);
      assert.equal(got.body.active, false);
      assert.equal(got.body.title, undefined);
      assert.equal(got.headers.get('etag'), current);
    });
  });
}
