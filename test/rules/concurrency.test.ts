/**
 * Role rules under concurrent writes: many membership changes of the same users through
 * different groups at once (several groups grant the same role), then the roles held must be
 * exactly what the memberships imply, and the role events must replay to those roles. On
 * PostgreSQL the transactions really overlap; rule work of a directory is serialized by its row
 * lock (without it, this test loses or doubles grants within a few runs).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { patchOp } from '../conformance/okta/okta.js';
import { enterpriseUser, rulesDirectory } from './rules.js';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

for (const { name, skip } of await dialects()) {
  describe(`role rules under concurrent writes on ${name}`, { skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(name);
    });
    after(async () => server?.close());

    test('concurrent adds and removes across groups that grant the same role end consistent', async () => {
      const d = await rulesDirectory(server, { roles: { prefix: 'Envi_', mappings: [{ group: 'Admins', role: 'Admin' }, { group: 'Envi_Admin_Backup', role: 'Admin' }] } });
      const users = await Promise.all(Array.from({ length: 2 }, (_, i) => d.createUser(`u${i}@example.com`)));
      const groups = await Promise.all(['Envi_Admin', 'Admins', 'Envi_Admin_Backup', 'Envi_Viewer'].map((g) => d.createGroup(g)));
      const next = random(42);
      const ops = Array.from({ length: 240 }, () => {
        const group = groups[Math.floor(next() * groups.length)]!;
        const user = users[Math.floor(next() * users.length)]!;
        const body =
          next() < 0.6
            ? patchOp({ op: 'add', path: 'members', value: [{ value: user.id, display: user.userName }] })
            : patchOp({ op: 'remove', path: `members[value eq "${user.id}"]` });
        return { group, body };
      });
      for (let i = 0; i < ops.length; i += 16) {
        const results = await Promise.all(ops.slice(i, i + 16).map((o) => d.client.patch(`/Groups/${o.group}`, o.body)));
        for (const r of results) assert.equal(r.status, 204, r.text);
      }

      // What the memberships imply, from the groups as SCIM shows them.
      const expected = new Map<string, Set<string>>(users.map((u) => [u.id, new Set()]));
      const grants: Record<string, string[]> = { Envi_Admin: ['Admin'], Admins: ['Admin'], Envi_Admin_Backup: ['Admin', 'Admin_Backup'], Envi_Viewer: ['Viewer'] };
      for (const id of groups) {
        const g = (await d.client.get(`/Groups/${id}`)).body;
        for (const m of g.members ?? []) for (const role of grants[g.displayName]!) expected.get(m.value)!.add(role);
      }
      const held = await d.roles(...users.map((u) => u.id));
      assert.deepEqual(held, users.map((u) => [...expected.get(u.id)!].sort()));

      // Replaying the role events gives the same roles: no grant or revocation was lost or doubled.
      const replay = new Map<string, Set<string>>(users.map((u) => [u.id, new Set()]));
      for (const e of await d.newEvents()) {
        if (e.type !== 'user.role_granted' && e.type !== 'user.role_revoked') continue;
        const { user, role } = e.data as { user: { id: string }; role: string };
        const set = replay.get(user.id)!;
        if (e.type === 'user.role_granted') {
          assert.ok(!set.has(role), `granted twice: ${role} to ${user.id}`);
          set.add(role);
        } else {
          assert.ok(set.delete(role), `revoked without a grant: ${role} from ${user.id}`);
        }
      }
      assert.deepEqual(users.map((u) => [...replay.get(u.id)!].sort()), held);
    });

    test('users moving into a department while Okta pushes that group\'s members: every request succeeds', async () => {
      const d = await rulesDirectory(server, { departmentGroups: { enabled: true }, roles: { prefix: 'Envi_' } });
      const pushed = await Promise.all(Array.from({ length: 8 }, (_, i) => d.createUser(`p${i}@example.com`)));
      const movers = await Promise.all(Array.from({ length: 8 }, (_, i) => d.createUser(`m${i}@example.com`)));
      const group = await d.createGroup('Envi_Sales');
      const requests = [
        ...pushed.map((u) => () => d.client.patch(`/Groups/${group}`, patchOp({ op: 'add', path: 'members', value: [{ value: u.id, display: u.userName }] }))),
        ...movers.map((u) => () => d.client.put(`/Users/${u.id}`, enterpriseUser(u.userName, { department: 'envi_sales' }))),
        ...Array.from({ length: 8 }, (_, i) => () => d.client.post('/Users', enterpriseUser(`new${i}@example.com`, { department: 'Envi_Sales' }))),
      ];
      // Interleaved, so group writes and user writes really overlap.
      const order = requests.map((_, i) => (i * 7) % requests.length);
      const results = await Promise.all(order.map((i) => requests[i]!()));
      for (const r of results) assert.ok(r.status === 200 || r.status === 201 || r.status === 204, `${r.status} ${r.text}`);
      const members = (await d.client.get(`/Groups/${group}`)).body.members as { value: string }[];
      assert.equal(members.length, 24);
      const held = await d.roles(...members.map((m) => m.value));
      assert.ok(held.every((r) => r.join() === 'Sales'), JSON.stringify(held));
    });
  });
}
