/**
 * Okta conformance, one identity across SCIM and SSO: a user first created by a SAML
 * just-in-time sign-in (source 'saml_jit') and later pushed by Okta's SCIM client is linked,
 * never duplicated, whether Okta POSTs it (the create adopts it) or finds it with its
 * existence check and then PUTs/PATCHes it. A SCIM-created duplicate is still a 409.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createUser } from '../../../src/app/scim/users.js';
import { userColumns } from '../../../src/app/scim/user-changes.js';
import { userView } from '../../../src/app/directory/views.js';
import type { AppContext } from '../../../src/app/context.js';
import type { Store } from '../../../src/app/ports.js';
import type { DirectoryEvent } from '../../../src/domain/events.js';
import type { StoredUser } from '../../../src/domain/model.js';
import { systemClock } from '../../../src/domain/clock.js';
import { createIdGenerator } from '../../../src/runtime/system.js';
import { normalizeUserInput } from '../../../src/scim/resource-input.js';
import { dialects } from '../../support/databases.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ENTERPRISE_URN, USER_URN, oktaUser } from '../../support/scim-client.js';
import { DEACTIVATE, assertScimError, patchOp, userNameLookup } from './okta.js';

const ids = createIdGenerator();

/** The data of a user.updated event (asserting that it is one). */
function updatedData(event: DirectoryEvent | undefined): DirectoryEvent<'user.updated'>['data'] {
  assert.equal(event?.type, 'user.updated');
  return (event as DirectoryEvent<'user.updated'>).data;
}

/**
 * What an SSO sign-in under the 'jit' policy stores: the SCIM-shaped resource of the assertion
 * (userName = email, externalId null unless given), source 'saml_jit', and a user.created event
 * in the same transaction, the same shapes a SCIM create writes.
 */
async function insertJitUser(
  store: Store,
  directoryId: string,
  email: string,
  options: { externalId?: string; active?: boolean; givenName?: string } = {},
): Promise<StoredUser> {
  const directory = await store.directories.findById(directoryId);
  assert.ok(directory, 'directory exists');
  const [local] = email.split('@');
  const input = normalizeUserInput({
    schemas: [USER_URN],
    userName: email,
    ...(options.externalId ? { externalId: options.externalId } : {}),
    name: { givenName: options.givenName ?? local, familyName: 'Signed-In' },
    emails: [{ value: email, type: 'work', primary: true }],
    displayName: `${options.givenName ?? local} Signed-In`,
    active: options.active ?? true,
  });
  assert.ok(input.ok, 'the JIT resource is valid');
  const resource = input.value;
  const at = new Date().toISOString();
  const user: StoredUser = {
    id: ids.next('usr'),
    directoryId,
    ...userColumns(resource),
    resource,
    version: 1,
    source: 'saml_jit',
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  };
  await store.transaction(async (tx) => {
    await tx.users.insert(user);
    const view = await userView(tx, directory, user, { isNew: true });
    await tx.events.append(directoryId, directory.organizationId, [{ type: 'user.created', data: { user: view } }], at);
  });
  return user;
}

for (const { name, skip } of await dialects()) {
  describe(`Okta links users first created by SSO sign-in on ${name}`, { skip }, () => {
    let server: TestServer;
    before(async () => (server = await startTestServer(name)));
    after(async () => server?.close());

    const store = () => server.server.scimitar.store;
    const events = (directoryId: string): Promise<DirectoryEvent[]> => store().events.listAfter(directoryId, 0, 10_000);
    const liveUsers = async (directoryId: string) => (await store().users.list(directoryId, undefined, { offset: 0, limit: 1000 })).items;

    test('Okta pushes a user first created by SSO sign-in: linked, not duplicated (201 with the same id, user.updated event, one row)', async () => {
      const { client, directoryId } = await server.newDirectory();
      // Signed in as Ada@Example.com; Okta pushes ada@example.com (userName matches case-insensitively).
      const jit = await insertJitUser(store(), directoryId, 'Ada@Example.com');
      const body = oktaUser('ada@example.com', { title: 'Engineer' });

      const created = await client.post('/Users', body);
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.id, jit.id, 'the JIT user’s id, which Okta stores');
      assert.equal(created.headers.get('location'), created.body.meta.location);
      assert.ok(created.body.meta.location.endsWith(`/Users/${jit.id}`));
      assert.equal(created.headers.get('etag'), created.body.meta.version);
      assert.equal(created.body.userName, 'ada@example.com');
      assert.equal(created.body.externalId, body['externalId']);
      assert.equal(created.body.title, 'Engineer');
      assert.deepEqual(created.body.name, body['name']);
      assert.equal(created.body.password, undefined);
      assert.equal(created.body.groups, undefined, 'an adopted user may already be in groups: not shown as empty');
      const elsewhere = await server.newDirectory();
      const fresh = await elsewhere.client.post('/Users', oktaUser('new.person@example.com'));
      assert.deepEqual(fresh.body.groups, [], 'a new user is in no group');

      // One row, now SCIM-managed: replace semantics, externalId set, version bumped.
      const rows = await liveUsers(directoryId);
      assert.equal(rows.length, 1);
      const row = rows[0]!;
      assert.equal(row.id, jit.id);
      assert.equal(row.source, 'scim');
      assert.equal(row.version, 2);
      assert.equal(row.userName, 'ada@example.com');
      assert.equal(row.externalId, body['externalId']);
      assert.equal(row.createdAt, jit.createdAt, 'still the user created at sign-in');
      assert.deepEqual(row.resource['name'], body['name'], 'the resource is what SCIM sent');
      assert.equal(row.resource['password'], undefined);

      // The sign-in's user.created, then one user.updated with what the user was before.
      const log = await events(directoryId);
      assert.deepEqual(log.map((e) => e.type), ['user.created', 'user.updated']);
      const updated = { data: updatedData(log[1]) };
      assert.equal(updated.data.user.id, jit.id);
      assert.equal(updated.data.user.source, 'scim');
      assert.equal(updated.data.user.idpId, body['externalId']);
      assert.equal(updated.data.previous.source, 'saml_jit');
      assert.equal(updated.data.previous.idpId, null);
      assert.equal(updated.data.previous.userName, 'Ada@Example.com');
      assert.equal(updated.data.previous.lastName, 'Signed-In');

      // Okta's lookups find exactly that user.
      const lookup = await client.get(userNameLookup('ada@example.com'));
      assert.equal(lookup.body.totalResults, 1);
      assert.equal(lookup.body.Resources[0].id, jit.id);
      assert.equal((await client.get(`/Users/${jit.id}`)).body.externalId, body['externalId']);
    });

    test('adopting keeps the update semantics: active false deactivates, the department rule joins the group', async () => {
      const { client, directoryId } = await server.newDirectory();
      await server.server.scimitar.admin.updateDirectorySettings({ directoryId, settings: { departmentGroups: { enabled: true } } as never });
      const jit = await insertJitUser(store(), directoryId, 'bo@example.com');
      const created = await client.post(
        '/Users',
        oktaUser('bo@example.com', { active: false, schemas: [USER_URN, ENTERPRISE_URN], [ENTERPRISE_URN]: { department: 'Research' } }),
      );
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.id, jit.id);
      assert.equal(created.body.active, false);
      const types = (await events(directoryId)).map((e) => e.type);
      assert.deepEqual(types, ['user.created', 'user.updated', 'user.deactivated', 'group.created', 'group.member_added']);
      const groups = await client.get(`/Users/${jit.id}?attributes=groups`);
      assert.deepEqual(groups.body.groups.map((g: { display: string }) => g.display), ['Research']);

      // A deactivated JIT user pushed as active is reactivated.
      const other = await insertJitUser(store(), directoryId, 'cy@example.com', { active: false });
      const pushed = await client.post('/Users', oktaUser('cy@example.com'));
      assert.equal(pushed.status, 201, pushed.text);
      assert.equal(pushed.body.id, other.id);
      assert.equal(pushed.body.active, true);
      const tail = (await events(directoryId)).slice(-3).map((e) => e.type);
      assert.deepEqual(tail, ['user.created', 'user.updated', 'user.reactivated']);
    });

    test("Okta's lookup finds the JIT user and its PATCH makes it SCIM-managed", async () => {
      const { client, directoryId } = await server.newDirectory();
      const jit = await insertJitUser(store(), directoryId, 'dee@example.com');

      // Okta's existence check before Create User finds the JIT user, so Okta links to its id.
      const lookup = await client.get(userNameLookup('DEE@example.com'));
      assert.equal(lookup.status, 200, lookup.text);
      assert.equal(lookup.body.totalResults, 1);
      assert.equal(lookup.body.Resources[0].id, jit.id);

      // Any SCIM write makes it SCIM-managed, even one that changes no attribute.
      const patched = await client.patch(`/Users/${jit.id}`, patchOp({ op: 'replace', value: { active: true } }));
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.body.id, jit.id);
      let row = await store().users.findById(directoryId, jit.id);
      assert.equal(row?.source, 'scim');
      assert.equal(row?.version, 2);
      let log = await events(directoryId);
      assert.deepEqual(log.map((e) => e.type), ['user.created', 'user.updated']);
      assert.deepEqual(updatedData(log[1]).previous, { source: 'saml_jit' });

      // From now on it is an ordinary SCIM user: the same PATCH again is a no-op...
      const again = await client.patch(`/Users/${jit.id}`, patchOp({ op: 'replace', value: { active: true } }));
      assert.equal(again.status, 200, again.text);
      assert.equal((await store().users.findById(directoryId, jit.id))?.version, 2);
      // ...Okta's PUT of the full profile sets the externalId, and deactivation works as usual.
      const body = oktaUser('dee@example.com');
      const put = await client.put(`/Users/${jit.id}`, body);
      assert.equal(put.status, 200, put.text);
      assert.equal(put.body.externalId, body['externalId']);
      assertScimError(await client.post('/Users', body), 409, 'uniqueness');
      assert.equal((await client.patch(`/Users/${jit.id}`, DEACTIVATE)).status, 200);
      row = await store().users.findById(directoryId, jit.id);
      assert.equal(row?.source, 'scim');
      assert.equal(row?.active, false);
      log = await events(directoryId);
      assert.deepEqual(log.map((e) => e.type), ['user.created', 'user.updated', 'user.updated', 'user.deactivated']);
      assert.equal((await liveUsers(directoryId)).length, 1);
    });

    test("Okta's PUT of a JIT user found by its lookup makes it SCIM-managed", async () => {
      const { client, directoryId } = await server.newDirectory();
      const jit = await insertJitUser(store(), directoryId, 'eve@example.com');
      const id = (await client.get(userNameLookup('eve@example.com'))).body.Resources[0].id;
      assert.equal(id, jit.id);
      const body = oktaUser('eve@example.com');
      const put = await client.put(`/Users/${id}`, body);
      assert.equal(put.status, 200, put.text);
      const row = await store().users.findById(directoryId, id);
      assert.equal(row?.source, 'scim');
      assert.equal(row?.externalId, body['externalId']);
      const log = await events(directoryId);
      assert.deepEqual(log.map((e) => e.type), ['user.created', 'user.updated']);
      assert.equal(updatedData(log[1]).previous.source, 'saml_jit');
    });

    test('a SCIM-created duplicate is still 409', async () => {
      const { client, directoryId } = await server.newDirectory();
      const first = await client.post('/Users', oktaUser('fay@example.com'));
      assert.equal(first.status, 201, first.text);
      const dup = await client.post('/Users', oktaUser('FAY@example.com'));
      assertScimError(dup, 409, 'uniqueness');
      assert.equal(dup.body.detail, 'userName "FAY@example.com" is already taken in this directory');
      // Also when the duplicate's externalId names a JIT user: the userName decides.
      await insertJitUser(store(), directoryId, 'fay.other@example.com', { externalId: '00uFAYOTHER' });
      assertScimError(await client.post('/Users', oktaUser('fay@example.com', { externalId: '00uFAYOTHER' })), 409, 'uniqueness');
      // An adopted user pushed once more is Okta's own duplicate too.
      const jit = await insertJitUser(store(), directoryId, 'gus@example.com');
      assert.equal((await client.post('/Users', oktaUser('gus@example.com'))).body.id, jit.id);
      assertScimError(await client.post('/Users', oktaUser('gus@example.com')), 409, 'uniqueness');
      assert.equal((await liveUsers(directoryId)).length, 3);
      const log = await events(directoryId);
      assert.equal(log.filter((e) => e.type === 'user.created').length, 3);
      assert.equal(log.filter((e) => e.type === 'user.updated').length, 1);
    });

    test('externalId match adopts', async () => {
      const { client, directoryId } = await server.newDirectory();
      // Signed in under an older address; Okta pushes the new userName with the same externalId.
      const jit = await insertJitUser(store(), directoryId, 'hal.old@example.com', { externalId: '00uHAL' });
      const created = await client.post('/Users', oktaUser('hal@example.com', { externalId: '00uHAL' }));
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.id, jit.id);
      assert.equal(created.body.userName, 'hal@example.com');
      const rows = await liveUsers(directoryId);
      assert.deepEqual(rows.map((u) => [u.id, u.userName, u.source]), [[jit.id, 'hal@example.com', 'scim']]);
      const log = await events(directoryId);
      assert.deepEqual(log.map((e) => e.type), ['user.created', 'user.updated']);
      assert.equal(updatedData(log[1]).previous.userName, 'hal.old@example.com');
      assert.equal((await client.get(userNameLookup('hal.old@example.com'))).body.totalResults, 0);

      // An externalId shared with a SCIM user is no conflict (externalId is not unique): a new user.
      const other = await client.post('/Users', oktaUser('hal.two@example.com', { externalId: '00uHAL' }));
      assert.equal(other.status, 201, other.text);
      assert.notEqual(other.body.id, jit.id);
      assert.equal((await liveUsers(directoryId)).length, 2);
    });

    test('two concurrent pushes of the same JIT user never create two users', async () => {
      const { client, directoryId } = await server.newDirectory();
      const jits = await Promise.all(
        ['ivy', 'jon', 'kai', 'lee'].map((n) => insertJitUser(store(), directoryId, `${n}@example.com`, n === 'lee' ? { externalId: '00uLEE' } : {})),
      );
      // Each JIT user pushed 4 times at once; lee under a new userName, matched by externalId alone.
      const bodies = jits.map((jit) => (jit.externalId ? oktaUser('lee.new@example.com', { externalId: jit.externalId }) : oktaUser(jit.userName)));
      const results = await Promise.all(bodies.flatMap((body) => Array.from({ length: 4 }, () => client.post('/Users', body))));
      for (const [i, jit] of jits.entries()) {
        const mine = results.slice(i * 4, i * 4 + 4);
        // One adoption; the other pushes then find a SCIM user with that userName: Okta's own duplicate.
        assert.equal(mine.filter((r) => r.status === 201).length, 1, mine.map((r) => `${r.status} ${r.text}`).join('\n'));
        for (const r of mine) {
          if (r.status === 201) assert.equal(r.body.id, jit.id, 'the 201 names the JIT user');
          else assertScimError(r, 409, 'uniqueness');
        }
      }
      const rows = await liveUsers(directoryId);
      assert.equal(rows.length, 4, rows.map((u) => u.userName).join(', '));
      assert.ok(rows.every((u) => u.source === 'scim'));
      assert.deepEqual(rows.map((u) => u.id).sort(), jits.map((u) => u.id).sort());
      const log = await events(directoryId);
      assert.equal(log.filter((e) => e.type === 'user.created').length, 4, 'only the sign-ins created users');
      assert.equal(log.filter((e) => e.type === 'user.updated').length, 4, 'one adoption each');
    });

    test('a create that loses the race to a sign-in committed after its look-up adopts on its second look', async () => {
      const { directoryId } = await server.newDirectory();
      const real = store();
      const directory = await real.directories.findById(directoryId);
      assert.ok(directory);
      const jit = await insertJitUser(real, directoryId, 'mo@example.com');
      // The first look-up misses the user (as if the sign-in committed just after it): the insert conflicts.
      let looks = 0;
      const racing: Store = {
        ...real,
        transaction: (work) =>
          real.transaction((tx) =>
            work({
              ...tx,
              users: {
                ...tx.users,
                findForCreate: async (...args) => (++looks === 1 ? [] : tx.users.findForCreate(...args)),
              },
            }),
          ),
      };
      const ctx: AppContext = {
        store: racing,
        pageHints: undefined as never,
        clock: systemClock,
        ids,
        settings: { publicUrl: 'http://127.0.0.1', tokenGraceMs: 0, maxPageSize: 100 },
      };
      const user = await createUser(ctx, directory, oktaUser('mo@example.com'));
      assert.equal(looks, 2, 'looked once more after the conflict');
      assert.equal(user.id, jit.id);
      assert.equal(user.source, 'scim');
      assert.equal((await liveUsers(directoryId)).length, 1);
      assert.deepEqual((await events(directoryId)).map((e) => e.type), ['user.created', 'user.updated']);
    });
  });
}
