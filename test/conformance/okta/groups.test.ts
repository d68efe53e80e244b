/**
 * Okta conformance, groups: Group Push (existence check by displayName, POST with or without
 * members), rename, member add in batches of 100, member remove by filter, path-less replace
 * carrying members, PUT, emptying and DELETE.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../support/databases.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { GROUP_URN, oktaUser, type ScimClient } from '../../support/scim-client.js';
import { assertScimError, createUsers, displayNameLookup, filtered, oktaGroup, patchOp, sorted } from './okta.js';

const USERS = 250;

type Member = { value: string; display: string };

for (const { name, skip } of await dialects()) {
  describe(`Okta groups on ${name}`, { skip }, () => {
    let server: TestServer;
    let client: ScimClient;
    let users: { id: string; userName: string }[];
    /** Members as Okta sends them: our id as value, the Okta username as display. */
    const member = (i: number): Member => ({ value: users[i].id, display: users[i].userName });
    const members = (from: number, to: number): Member[] => Array.from({ length: to - from }, (_, k) => member(from + k));
    const ids = (from: number, to: number): string[] => members(from, to).map((m) => m.value);

    /** GET /Groups/{id}: the member ids, sorted. */
    async function memberIds(gid: string): Promise<string[]> {
      const res = await client.get(`/Groups/${gid}`);
      assert.equal(res.status, 200, res.text);
      return sorted((res.body.members ?? []).map((m: { value: string }) => m.value));
    }
    async function push(displayName: string, m?: Member[]): Promise<{ id: string; version: string }> {
      const res = await client.post('/Groups', oktaGroup(displayName, m));
      assert.equal(res.status, 201, res.text);
      return { id: res.body.id, version: res.body.meta.version };
    }

    before(async () => {
      server = await startTestServer(name);
      ({ client } = await server.newDirectory());
      const names = Array.from({ length: USERS }, (_, i) => `member${String(i).padStart(3, '0')}@example.com`);
      users = await createUsers(client, names, 20);
    });
    after(async () => server?.close());

    test('Okta pushes a group without members after an empty existence check', async () => {
      const lookup = await client.get(displayNameLookup('Eng'));
      assert.equal(lookup.status, 200, lookup.text);
      assert.equal(lookup.body.totalResults, 0);
      const res = await client.post('/Groups', oktaGroup('Eng'));
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(res.body.schemas, [GROUP_URN]);
      assert.equal(res.body.displayName, 'Eng');
      assert.equal(res.headers.get('location'), res.body.meta.location);
      assert.ok(res.body.meta.location.endsWith(`/Groups/${res.body.id}`));
      assert.equal(res.body.meta.resourceType, 'Group');
      assert.equal(res.headers.get('etag'), res.body.meta.version);
      assert.deepEqual(res.body.members ?? [], []);
      const got = await client.get(`/Groups/${res.body.id}`);
      assert.equal(got.body.displayName, 'Eng');
    });

    test('Okta pushes a group with members', async () => {
      const m = members(0, 3);
      const res = await client.post('/Groups', oktaGroup('Pushed With Members', m));
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(sorted(res.body.members.map((x: Member) => x.value)), sorted(ids(0, 3)));
      for (const x of res.body.members) {
        assert.equal(typeof x.display, 'string');
        assert.ok(x.$ref.endsWith(`/Users/${x.value}`));
      }
      assert.deepEqual(await memberIds(res.body.id), sorted(ids(0, 3)));
      // The user side shows the membership too.
      const user = await client.get(`/Users/${users[0].id}`);
      assert.ok(user.body.groups.some((g: { value: string; display: string }) => g.value === res.body.id && g.display === 'Pushed With Members'));
    });

    test('Okta pushes a group with an empty members list', async () => {
      const res = await client.post('/Groups', { ...oktaGroup('Pushed Empty'), members: [] });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(res.body.members ?? [], []);
      assert.deepEqual(await memberIds(res.body.id), []);
    });

    test('Okta imports groups with GET /Groups?startIndex=1&count=100, members included', async () => {
      const { client: fresh } = await server.newDirectory();
      const [u1, u2] = await createUsers(fresh, ['imp1@example.com', 'imp2@example.com']);
      const names = ['Import A', 'Import B', 'Import C'];
      const made: string[] = [];
      for (const [i, n] of names.entries()) {
        const res = await fresh.post('/Groups', oktaGroup(n, i === 0 ? [] : [{ value: u1.id, display: u1.userName }, ...(i === 2 ? [{ value: u2.id, display: u2.userName }] : [])]));
        assert.equal(res.status, 201, res.text);
        made.push(res.body.id);
      }
      const page = await fresh.get('/Groups?startIndex=1&count=100');
      assert.equal(page.status, 200, page.text);
      assert.equal(page.body.totalResults, 3);
      assert.equal(page.body.itemsPerPage, 3);
      const byId = new Map(page.body.Resources.map((g: { id: string; members?: Member[] }) => [g.id, sorted((g.members ?? []).map((m) => m.value))]));
      assert.deepEqual(byId.get(made[0]), []);
      assert.deepEqual(byId.get(made[1]), [u1.id]);
      assert.deepEqual(byId.get(made[2]), sorted([u1.id, u2.id]));
      const second = await fresh.get('/Groups?startIndex=3&count=2');
      assert.equal(second.body.totalResults, 3);
      assert.equal(second.body.Resources.length, 1);
    });

    test("Okta's group existence check by displayName is case-insensitive", async () => {
      const g = await push('Sales Team');
      for (const spaces of ['%20', '+'] as const) {
        for (const probe of ['Sales Team', 'sales team', 'SALES TEAM']) {
          const res = await client.get(displayNameLookup(probe, spaces));
          assert.equal(res.status, 200, res.text);
          assert.deepEqual(res.body.Resources.map((r: { id: string }) => r.id), [g.id], `${probe} with ${spaces}`);
        }
      }
      assert.equal((await client.get(displayNameLookup('Sales'))).body.totalResults, 0);
    });

    test('Okta pushing a displayName that already exists gets 409 uniqueness', async () => {
      await push('Support');
      assertScimError(await client.post('/Groups', oktaGroup('SUPPORT')), 409, 'uniqueness');
      assert.equal((await client.get(displayNameLookup('support'))).body.totalResults, 1);
    });

    test('Okta reads a group with excludedAttributes=members and gets no members', async () => {
      const g = await push('Excluded', members(0, 5));
      const res = await client.get(`/Groups/${g.id}?excludedAttributes=members`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.members, undefined);
      assert.equal(res.body.id, g.id);
      assert.equal(res.body.displayName, 'Excluded');
      assert.ok(res.body.meta);
      const list = await client.get(`${displayNameLookup('Excluded')}&excludedAttributes=members`);
      assert.equal(list.body.Resources[0].members, undefined);
    });

    test('Okta renames a group with a path-less replace carrying its id', async () => {
      const g = await push('Old Name', members(0, 2));
      const res = await client.patch(`/Groups/${g.id}`, patchOp({ op: 'replace', value: { id: g.id, displayName: 'New Name' } }));
      assert.equal(res.status, 204, res.text);
      assert.ok(res.headers.get('etag'));
      assert.notEqual(res.headers.get('etag'), g.version);
      const got = await client.get(`/Groups/${g.id}`);
      assert.equal(got.body.displayName, 'New Name');
      assert.equal(got.body.id, g.id);
      assert.deepEqual(sorted(got.body.members.map((m: Member) => m.value)), sorted(ids(0, 2)), 'members untouched');
      assert.equal((await client.get(displayNameLookup('new name'))).body.Resources[0].id, g.id);
      assert.equal((await client.get(displayNameLookup('Old Name'))).body.totalResults, 0);
      // Renaming onto another group's name (any case) is a conflict and changes nothing.
      const other = await push('Other Name');
      assertScimError(await client.patch(`/Groups/${other.id}`, patchOp({ op: 'replace', value: { id: other.id, displayName: 'NEW NAME' } })), 409, 'uniqueness');
      assert.equal((await client.get(`/Groups/${other.id}`)).body.displayName, 'Other Name');
      // The user side sees the new name.
      const user = await client.get(`/Users/${users[0].id}`);
      assert.ok(user.body.groups.some((x: { value: string; display: string }) => x.value === g.id && x.display === 'New Name'));
    });

    test('Okta adds 250 members in PATCH batches of 100', async () => {
      const g = await push('Big Group');
      for (let from = 0; from < USERS; from += 100) {
        const batch = members(from, Math.min(USERS, from + 100));
        const res = await client.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: batch }));
        assert.equal(res.status, 204, res.text);
      }
      const got = await client.get(`/Groups/${g.id}`);
      assert.equal(got.body.members.length, USERS);
      assert.deepEqual(sorted(got.body.members.map((m: Member) => m.value)), sorted(users.map((u) => u.id)));

      const of = await client.get(filtered('Groups', `members.value eq "${users[249].id}"`));
      assert.equal(of.status, 200, of.text);
      assert.ok(of.body.Resources.some((r: { id: string }) => r.id === g.id));
      const excluded = await client.get(`${filtered('Groups', `members.value eq "${users[123].id}"`)}&excludedAttributes=members`);
      assert.ok(excluded.body.Resources.some((r: { id: string; members?: unknown }) => r.id === g.id && r.members === undefined));
    });

    test('Okta re-adding an existing member is a no-op (no duplicate, no new version)', async () => {
      const g = await push('Readd', members(0, 2));
      const res = await client.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [member(0)] }));
      assert.equal(res.status, 204, res.text);
      assert.equal(res.headers.get('etag'), g.version, 'nothing changed');
      assert.deepEqual(await memberIds(g.id), sorted(ids(0, 2)));
      const mixed = await client.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [member(1), member(2), member(2)] }));
      assert.equal(mixed.status, 204, mixed.text);
      assert.deepEqual(await memberIds(g.id), sorted(ids(0, 3)));
    });

    test('Okta removes one member with a members[value eq "<id>"] filter', async () => {
      const g = await push('Remove One', members(0, 4));
      const res = await client.patch(`/Groups/${g.id}`, patchOp({ op: 'remove', path: `members[value eq "${users[2].id}"]` }));
      assert.equal(res.status, 204, res.text);
      assert.deepEqual(await memberIds(g.id), sorted([users[0].id, users[1].id, users[3].id]));
      const of = await client.get(filtered('Groups', `members.value eq "${users[2].id}"`));
      assert.ok(!of.body.Resources.some((r: { id: string }) => r.id === g.id));
      // Removing someone who is not a member changes nothing.
      const again = await client.patch(`/Groups/${g.id}`, patchOp({ op: 'remove', path: `members[value eq "${users[2].id}"]` }));
      assert.equal(again.status, 204);
      assert.equal(again.headers.get('etag'), res.headers.get('etag'));
    });

    test('Okta path-less replace carrying members replaces the whole set', async () => {
      const g = await push('Replace Set', members(0, 5));
      const res = await client.patch(
        `/Groups/${g.id}`,
        patchOp({ op: 'replace', value: { id: g.id, displayName: 'Replace Set', members: members(3, 8) } }),
      );
      assert.equal(res.status, 204, res.text);
      assert.deepEqual(await memberIds(g.id), sorted(ids(3, 8)));
      assert.equal((await client.get(`/Groups/${g.id}`)).body.displayName, 'Replace Set');
    });

    test('Okta PUT with members replaces the set; PUT without members empties it', async () => {
      const g = await push('Put Group', members(0, 4));
      const put = await client.put(`/Groups/${g.id}`, { ...oktaGroup('Put Group Renamed', members(2, 6)), id: g.id });
      assert.equal(put.status, 200, put.text);
      assert.equal(put.body.displayName, 'Put Group Renamed');
      assert.deepEqual(sorted(put.body.members.map((m: Member) => m.value)), sorted(ids(2, 6)));
      assert.equal(put.headers.get('etag'), put.body.meta.version);
      assert.deepEqual(await memberIds(g.id), sorted(ids(2, 6)));

      const bare = await client.put(`/Groups/${g.id}`, { ...oktaGroup('Put Group Renamed'), id: g.id });
      assert.equal(bare.status, 200, bare.text);
      assert.deepEqual(bare.body.members ?? [], []);
      assert.deepEqual(await memberIds(g.id), []);
    });

    test('Okta empties a group (replace members with an empty list, or remove members)', async () => {
      const a = await push('Empty A', members(0, 3));
      const r1 = await client.patch(`/Groups/${a.id}`, patchOp({ op: 'replace', path: 'members', value: [] }));
      assert.equal(r1.status, 204, r1.text);
      assert.deepEqual(await memberIds(a.id), []);

      const b = await push('Empty B', members(0, 3));
      const r2 = await client.patch(`/Groups/${b.id}`, patchOp({ op: 'remove', path: 'members' }));
      assert.equal(r2.status, 204, r2.text);
      assert.deepEqual(await memberIds(b.id), []);

      const c = await push('Empty C', members(0, 3));
      const r3 = await client.patch(`/Groups/${c.id}`, patchOp(...ids(0, 3).map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` }))));
      assert.equal(r3.status, 204, r3.text);
      assert.deepEqual(await memberIds(c.id), []);
      assert.equal((await client.get(`/Groups/${c.id}`)).body.displayName, 'Empty C', 'the group itself stays');
    });

    test('Okta deletes a group: 204, then 404, and it leaves its members\u2019 groups', async () => {
      const g = await push('Doomed', members(0, 2));
      const del = await client.delete(`/Groups/${g.id}`);
      assert.equal(del.status, 204);
      assert.equal(del.text, '');
      assertScimError(await client.get(`/Groups/${g.id}`), 404);
      assertScimError(await client.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [member(3)] })), 404);
      assertScimError(await client.delete(`/Groups/${g.id}`), 404);
      assert.equal((await client.get(displayNameLookup('Doomed'))).body.totalResults, 0);
      const user = await client.get(`/Users/${users[0].id}`);
      assert.ok(!user.body.groups.some((x: { value: string }) => x.value === g.id));
      assert.equal((await client.post('/Groups', oktaGroup('Doomed'))).status, 201, 'the name is free again');
    });

    test('a user deleted by Okta disappears from its groups\u2019 members', async () => {
      const extra = await client.post('/Users', oktaUser('leaver@example.com'));
      const leaver: Member = { value: extra.body.id, display: 'leaver@example.com' };
      const g1 = await push('Leaver One', [leaver, member(0)]);
      const g2 = await push('Leaver Two', [leaver]);
      assert.equal((await client.delete(`/Users/${leaver.value}`)).status, 204);
      assert.deepEqual(await memberIds(g1.id), [users[0].id]);
      assert.deepEqual(await memberIds(g2.id), []);
      const of = await client.get(filtered('Groups', `members.value eq "${leaver.value}"`));
      assert.equal(of.body.totalResults, 0);
    });

    test('Okta adding an unknown user id gets 400 invalidValue and nothing changes', async () => {
      const g = await push('Strict', members(0, 1));
      const before = await client.get(`/Groups/${g.id}`);
      const res = await client.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [member(1), { value: 'usr_does_not_exist', display: 'ghost@example.com' }] }));
      assertScimError(res, 400, 'invalidValue');
      assert.ok(res.body.detail.includes('usr_does_not_exist'));
      const after = await client.get(`/Groups/${g.id}`);
      assert.deepEqual(after.body, before.body);

      const created = await client.post('/Groups', oktaGroup('Strict Push', [member(0), { value: 'usr_nope', display: 'x' }]));
      assertScimError(created, 400, 'invalidValue');
      assert.equal((await client.get(displayNameLookup('Strict Push'))).body.totalResults, 0, 'no group was created');

      const put = await client.put(`/Groups/${g.id}`, oktaGroup('Strict', [member(0), { value: 'usr_nope', display: 'x' }]));
      assertScimError(put, 400, 'invalidValue');
      assert.deepEqual((await client.get(`/Groups/${g.id}`)).body, before.body);
    });
  });
}
