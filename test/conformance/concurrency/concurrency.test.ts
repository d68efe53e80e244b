/**
 * Concurrency and atomicity: parallel SCIM writes to one resource must neither lose an update
 * nor duplicate a row, and a PATCH that fails part-way must leave nothing behind. Every race is
 * real: the requests go over HTTP to one server, on SQLite and on PostgreSQL.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventType } from '../../../src/domain/events.js';
import { dialects } from '../../support/databases.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ENTERPRISE_URN, GROUP_URN, PATCH_OP, oktaUser, type ScimClient } from '../../support/scim-client.js';

const patchOp = (...Operations: Record<string, unknown>[]) => ({ schemas: [PATCH_OP], Operations });
const filterQuery = (filter: string) => `?filter=${encodeURIComponent(filter)}`;

async function createUsers(client: ScimClient, prefix: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  // Sequential: user creation is not what these tests race.
  for (let i = 0; i < n; i++) {
    const created = await client.post('/Users', oktaUser(`${prefix}${i}@example.com`));
    assert.equal(created.status, 201, created.text);
    ids.push(created.body.id);
  }
  return ids;
}

async function createGroup(client: ScimClient, displayName: string, members: string[] = []): Promise<string> {
  const created = await client.post('/Groups', { schemas: [GROUP_URN], displayName, members: members.map((value) => ({ value })) });
  assert.equal(created.status, 201, created.text);
  return created.body.id;
}

async function memberIdsOf(client: ScimClient, groupId: string): Promise<string[]> {
  const got = await client.get(`/Groups/${groupId}`);
  assert.equal(got.status, 200, got.text);
  return ((got.body.members ?? []) as { value: string }[]).map((m) => m.value);
}

const sorted = (ids: string[]) => [...ids].sort();

/** `count` spellings of `name` that differ only in case: variant i upper-cases the characters whose position picks a set bit of i. */
function caseVariants(name: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    name
      .split('')
      .map((c, j) => (((i >> (j % 3)) & 1) === 1 ? c.toUpperCase() : c))
      .join(''),
  );
}

for (const { name, skip } of await dialects()) {
  describe(`concurrency on ${name}`, { skip }, () => {
    let server: TestServer;
    before(async () => (server = await startTestServer(name)));
    after(async () => server?.close());

    const count = (directoryId: string, type?: EventType) => server.server.scimitar.store.events.count(directoryId, type);

    test('16 concurrent PATCH adds to one group lose no member', async () => {
      const { client, directoryId } = await server.newDirectory();
      const users = await createUsers(client, 'member', 16);
      const groupId = await createGroup(client, 'Engineering');

      const responses = await Promise.all(
        users.map((id) => client.patch(`/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: [{ value: id }] }))),
      );
      for (const r of responses) assert.equal(r.status, 204, r.text);
      assert.deepEqual(sorted(await memberIdsOf(client, groupId)), sorted(users));
      // Each add was an effective change on its own version: 1 + 16.
      const group = await client.get(`/Groups/${groupId}?excludedAttributes=members`);
      assert.equal(group.body.meta.version, 'W/"17"');
      // Each 204 carries the version it wrote; no two requests wrote the same one.
      assert.deepEqual(sorted(responses.map((r) => r.headers.get('etag')!)), sorted(Array.from({ length: 16 }, (_, i) => `W/"${i + 2}"`)));
      assert.equal(await count(directoryId, 'group.member_added'), 16);
      assert.equal(await count(directoryId, 'group.created'), 1);
      assert.equal(await count(directoryId, 'user.created'), 16);
    });

    test('16 concurrent PATCHes each adding the same 5 users plus one distinct user give no duplicate member', async () => {
      const { client, directoryId } = await server.newDirectory();
      const shared = await createUsers(client, 'shared', 5);
      const distinct = await createUsers(client, 'distinct', 16);
      const groupId = await createGroup(client, 'Sales');

      const responses = await Promise.all(
        distinct.map((id) =>
          client.patch(`/Groups/${groupId}`, patchOp({ op: 'Add', path: 'members', value: [...shared, id].map((value) => ({ value })) })),
        ),
      );
      for (const r of responses) assert.equal(r.status, 204, r.text);
      const members = await memberIdsOf(client, groupId);
      assert.equal(new Set(members).size, members.length, 'a member is listed twice');
      assert.deepEqual(sorted(members), sorted([...shared, ...distinct]));
      // The shared users are added once (by whichever request committed first), never again.
      assert.equal(await count(directoryId, 'group.member_added'), 21);
      const group = await client.get(`/Groups/${groupId}?excludedAttributes=members`);
      assert.equal(group.body.meta.version, 'W/"17"');
      // And the group lists each user as a member exactly once through the user side too.
      for (const id of shared) {
        const user = await client.get(`/Users/${id}`);
        assert.deepEqual((user.body.groups as { value: string }[]).map((g) => g.value), [groupId]);
      }
    });

    test('member adds racing the users\' DELETEs never leave a deleted user in the group', async () => {
      const { client, directoryId } = await server.newDirectory();
      const users = await createUsers(client, 'leaving', 24);
      const groupId = await createGroup(client, 'Leavers');

      const responses = await Promise.all(
        users.flatMap((id) => [
          client.patch(`/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: [{ value: id }] })),
          client.delete(`/Users/${id}`),
        ]),
      );
      for (let i = 0; i < responses.length; i += 2) {
        const [add, del] = [responses[i]!, responses[i + 1]!];
        assert.equal(del.status, 204, del.text);
        // The add either ran first (and the DELETE then removed the member) or found the user gone.
        assert.ok(add.status === 204 || (add.status === 400 && add.body.scimType === 'invalidValue'), `${add.status} ${add.text}`);
      }
      // Every user is deleted, so the group has no member left: none points at a deleted user.
      assert.deepEqual(await memberIdsOf(client, groupId), []);
      assert.equal(await count(directoryId, 'user.deleted'), users.length);
      // Every member that was added was removed again, with its event.
      assert.equal(await count(directoryId, 'group.member_removed'), await count(directoryId, 'group.member_added'));
    });

    test('8 concurrent POSTs of one userName give exactly one 201 and seven 409s', async () => {
      const { client, directoryId } = await server.newDirectory();
      const rounds: string[][] = [];
      for (let round = 0; round < 5; round++) rounds.push(Array.from({ length: 8 }, () => `race${round}@example.com`));
      // Names differing only in case: userName is caseExact false (RFC 7643 §4.1.1), so they collide too.
      for (let round = 0; round < 5; round++) {
        const names = caseVariants(`case${round}@example.com`, 8);
        assert.equal(new Set(names).size, 8);
        rounds.push(names);
      }
      for (const names of rounds) {
        const responses = await Promise.all(names.map((userName) => client.post('/Users', oktaUser(userName))));
        const statuses = responses.map((r) => r.status).sort();
        assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409], `statuses for ${names[0]}: ${responses.map((r) => r.text).join('\n')}`);
        for (const r of responses.filter((x) => x.status === 409)) {
          assert.equal(r.body.scimType, 'uniqueness');
          assert.deepEqual(r.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
        }
        const winner = responses.find((r) => r.status === 201)!;
        const found = await client.get(`/Users${filterQuery(`userName eq "${names[0]!.toLowerCase()}"`)}`);
        assert.equal(found.body.totalResults, 1);
        assert.equal(found.body.Resources[0].id, winner.body.id);
      }
      const all = await client.get('/Users?count=0');
      assert.equal(all.body.totalResults, rounds.length);
      // One create, one event: the losers' transactions left nothing behind.
      assert.equal(await count(directoryId, 'user.created'), rounds.length);
      assert.equal(await count(directoryId), rounds.length);
    });

    test('a user PATCH whose third operation fails leaves the user unchanged', async () => {
      const { client, directoryId } = await server.newDirectory();
      const user = await client.post('/Users', oktaUser('atomic@example.com'));
      await client.post('/Users', oktaUser('taken@example.com'));
      const id = user.body.id as string;
      const before = await client.get(`/Users/${id}`);
      const eventsBefore = await count(directoryId);

      const failures = [
        // Fails while applying: a value of the wrong type.
        { op: 'replace', path: 'active', value: 'maybe' },
        // Fails on an unknown attribute path.
        { op: 'replace', path: 'noSuchAttribute', value: 'x' },
        // Fails in the database, after the first two were applied: userName taken.
        { op: 'replace', path: 'userName', value: 'TAKEN@example.com' },
      ];
      for (const third of failures) {
        const r = await client.patch(
          `/Users/${id}`,
          patchOp(
            { op: 'replace', path: 'displayName', value: 'Changed Name' },
            { op: 'add', path: `${ENTERPRISE_URN}:department`, value: 'Changed' },
            third,
          ),
        );
        assert.ok(r.status === 400 || r.status === 409, `${JSON.stringify(third)} answered ${r.status}: ${r.text}`);
        assert.deepEqual(r.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
        const after = await client.get(`/Users/${id}`);
        assert.deepEqual(after.body, before.body, `after ${JSON.stringify(third)}`);
        assert.equal(after.body.meta.version, 'W/"1"');
      }
      assert.equal(await count(directoryId), eventsBefore);
      // The same first two operations on their own do apply (the failure was the third's).
      const ok = await client.patch(
        `/Users/${id}`,
        patchOp({ op: 'replace', path: 'displayName', value: 'Changed Name' }, { op: 'add', path: `${ENTERPRISE_URN}:department`, value: 'Changed' }),
      );
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.meta.version, 'W/"2"');
    });

    test('a group PATCH whose third operation fails leaves the group and its members unchanged', async () => {
      const { client, directoryId } = await server.newDirectory();
      const [u0, u1, u2] = await createUsers(client, 'g', 3);
      const groupId = await createGroup(client, 'Atomic', [u0!, u1!]);
      await createGroup(client, 'Taken');
      const before = await client.get(`/Groups/${groupId}`);
      const eventsBefore = await count(directoryId);

      const failures = [
        // The membership changes are written first, then the rename hits the unique index.
        { op: 'replace', path: 'displayName', value: 'TAKEN' },
        // A member that is not a user of this directory.
        { op: 'add', path: 'members', value: [{ value: 'usr_does_not_exist' }] },
        // An attribute operation that cannot apply.
        { op: 'replace', path: 'noSuchAttribute', value: 'x' },
        // A path-less replace with a readOnly attribute.
        { op: 'replace', value: { id: 'another-id' } },
      ];
      for (const third of failures) {
        const r = await client.patch(
          `/Groups/${groupId}`,
          patchOp(
            { op: 'add', path: 'members', value: [{ value: u2 }] },
            { op: 'remove', path: `members[value eq "${u0}"]` },
            third,
          ),
        );
        assert.ok(r.status === 400 || r.status === 409, `${JSON.stringify(third)} answered ${r.status}: ${r.text}`);
        assert.deepEqual(r.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
        const after = await client.get(`/Groups/${groupId}`);
        assert.deepEqual(after.body, before.body, `after ${JSON.stringify(third)}`);
        assert.equal(after.body.meta.version, 'W/"1"');
      }
      assert.equal(await count(directoryId), eventsBefore);
      const ok = await client.patch(
        `/Groups/${groupId}`,
        patchOp({ op: 'add', path: 'members', value: [{ value: u2 }] }, { op: 'remove', path: `members[value eq "${u0}"]` }, { op: 'replace', path: 'displayName', value: 'Renamed' }),
      );
      assert.equal(ok.status, 204, ok.text);
      assert.deepEqual(sorted(await memberIdsOf(client, groupId)), sorted([u1!, u2!]));
      assert.equal(await count(directoryId, 'group.member_added'), 3);
      assert.equal(await count(directoryId, 'group.member_removed'), 1);
    });

    test('concurrent PATCHes to different attributes of one user lose no update', async () => {
      const { client, directoryId } = await server.newDirectory();
      const created = await client.post('/Users', oktaUser('busy@example.com'));
      const id = created.body.id as string;
      const core = ['title', 'nickName', 'profileUrl', 'userType', 'preferredLanguage', 'timezone'];
      const enterprise = ['employeeNumber', 'costCenter', 'organization', 'division'];
      const paths = [...core, ...enterprise.map((a) => `${ENTERPRISE_URN}:${a}`)];
      const valueFor = (path: string) => `value-of-${path.split(':').pop()}`;

      const responses = await Promise.all(paths.map((path) => client.patch(`/Users/${id}`, patchOp({ op: 'replace', path, value: valueFor(path) }))));
      for (const r of responses) assert.equal(r.status, 200, r.text);
      // Each request read the version the previous one wrote: the versions returned are 2..11, once each.
      assert.deepEqual(
        responses.map((r) => Number(/\d+/.exec(r.body.meta.version)![0])).sort((a, b) => a - b),
        Array.from({ length: paths.length }, (_, i) => i + 2),
      );
      const final = await client.get(`/Users/${id}`);
      // A lost update would drop one of these attributes (a writer saved its stale copy over another's change).
      for (const attribute of core) assert.equal(final.body[attribute], valueFor(attribute), attribute);
      for (const attribute of enterprise) assert.equal(final.body[ENTERPRISE_URN]?.[attribute], valueFor(attribute), attribute);
      assert.equal(final.body.meta.version, `W/"${1 + paths.length}"`);
      assert.equal(final.body.userName, 'busy@example.com');

      // Now ten writers of the same attribute, each with its own value: every one is an effective
      // change, so the version advances by ten and the last one committed is what remains.
      const values = Array.from({ length: 10 }, (_, i) => `E-${i}`);
      const same = await Promise.all(
        values.map((value) => client.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: `${ENTERPRISE_URN}:employeeNumber`, value }))),
      );
      for (const r of same) assert.equal(r.status, 200, r.text);
      const versions = same.map((r) => Number(/\d+/.exec(r.body.meta.version)![0]));
      assert.deepEqual([...versions].sort((a, b) => a - b), Array.from({ length: 10 }, (_, i) => i + 2 + paths.length));
      const last = same[versions.indexOf(Math.max(...versions))]!;
      const afterSame = await client.get(`/Users/${id}`);
      assert.equal(afterSame.body[ENTERPRISE_URN].employeeNumber, last.body[ENTERPRISE_URN].employeeNumber);
      assert.equal(afterSame.body.meta.version, `W/"${1 + paths.length + values.length}"`);
      // The other attributes survived the second burst as well.
      for (const attribute of core) assert.equal(afterSame.body[attribute], valueFor(attribute), attribute);
      assert.equal(afterSame.body[ENTERPRISE_URN].costCenter, valueFor('costCenter'));
      assert.equal(await count(directoryId, 'user.updated'), paths.length + values.length);
      assert.equal(await count(directoryId, 'user.created'), 1);
    });
  });
}
