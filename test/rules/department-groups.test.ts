/**
 * MangoApps' department groups: with the rule on, a user whose department becomes X joins the
 * group named X (created if missing, matched case-insensitively) and keeps the groups of earlier
 * departments, with the usual events; the group's roles follow. With the rule off, nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ENTERPRISE_URN } from '../support/scim-client.js';
import { patchOp } from '../conformance/okta/okta.js';
import { enterpriseUser, roleChanges, rulesDirectory, types } from './rules.js';

for (const { name, skip } of await dialects()) {
  describe(`department groups on ${name}`, { skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(name);
    });
    after(async () => server?.close());

    test('create with department Sales joins a new group "Sales"; moving to Marketing keeps Sales', async () => {
      const d = await rulesDirectory(server, { departmentGroups: { enabled: true } });
      const created = await d.client.post('/Users', enterpriseUser('ann@example.com', { department: 'Sales' }));
      assert.equal(created.status, 201, created.text);
      const id = created.body.id as string;
      let events = await d.newEvents();
      assert.deepEqual(types(events), ['user.created', 'group.created', 'group.member_added']);
      const group = (events[1]!.data as { group: { id: string; name: string; memberCount: number } }).group;
      assert.equal(group.name, 'Sales');
      assert.deepEqual(events[2]!.data, { group: { id: group.id, name: 'Sales' }, user: { id, userName: 'ann@example.com', email: 'ann@example.com' } });

      // The group is an ordinary SCIM group: Okta's existence check finds it, with the member.
      const sales = await d.client.get(`/Groups/${group.id}`);
      assert.equal(sales.status, 200, sales.text);
      assert.deepEqual(sales.body.members.map((m: { value: string }) => m.value), [id]);

      // An unchanged department (Okta re-sends the profile with another change) does nothing more.
      const same = await d.client.put(`/Users/${id}`, enterpriseUser('ann@example.com', { department: 'sales' }, { title: 'Rep' }));
      assert.equal(same.status, 200, same.text);
      assert.deepEqual(types(await d.newEvents()), ['user.updated']);

      const moved = await d.client.put(`/Users/${id}`, enterpriseUser('ann@example.com', { department: 'Marketing' }, { title: 'Rep' }));
      assert.equal(moved.status, 200, moved.text);
      events = await d.newEvents();
      assert.deepEqual(types(events), ['user.updated', 'group.created', 'group.member_added']);
      assert.equal((events[0]!.data as { user: { department: string } }).user.department, 'Marketing');
      const view = await d.normalized(id);
      assert.deepEqual(view.groups.map((g) => g.name).sort(), ['Marketing', 'Sales']);
      assert.equal(view.department, 'Marketing');
    });

    test('an existing group is joined whatever its case, and gets a new version; PATCH moves count too', async () => {
      const d = await rulesDirectory(server, { departmentGroups: { enabled: true } });
      const groupRes = await d.client.post('/Groups', { displayName: 'Field Sales' });
      const etag = groupRes.body.meta.version as string;
      const bob = await d.createUser('bob@example.com');
      await d.newEvents();

      const patched = await d.client.patch(`/Users/${bob.id}`, patchOp({ op: 'replace', path: `${ENTERPRISE_URN}:department`, value: '  field sales ' }));
      assert.equal(patched.status, 200, patched.text);
      const events = await d.newEvents();
      assert.deepEqual(types(events), ['user.updated', 'group.member_added']);
      const got = await d.client.get(`/Groups/${groupRes.body.id}`);
      assert.deepEqual(got.body.members.map((m: { value: string }) => m.value), [bob.id]);
      assert.notEqual(got.body.meta.version, etag, 'the group changed, so its ETag did');

      // Already a member: no event, no new version.
      const again = await d.client.patch(`/Users/${bob.id}`, patchOp({ op: 'replace', path: `${ENTERPRISE_URN}:department`, value: 'FIELD SALES' }));
      assert.equal(again.status, 200, again.text);
      assert.deepEqual(types(await d.newEvents()), ['user.updated']);
    });

    test('a department group that grants a role gives it, after the membership event', async () => {
      const d = await rulesDirectory(server, { departmentGroups: { enabled: true }, roles: { mappings: [{ group: 'Finance', role: 'approver' }] } });
      const res = await d.client.post('/Users', enterpriseUser('cy@example.com', { department: 'Finance' }));
      assert.equal(res.status, 201, res.text);
      const events = await d.newEvents();
      assert.deepEqual(types(events), ['user.created', 'group.created', 'group.member_added', 'user.role_granted']);
      assert.deepEqual((events[1]!.data as { group: { roles: string[] } }).group.roles, ['approver']);
      assert.deepEqual(roleChanges(events), ['+approver cy@example.com']);
      assert.deepEqual((await d.normalized(res.body.id)).roles, ['approver']);
    });

    test('with the rule off, a department creates no group and no event beyond the user\'s own', async () => {
      const d = await rulesDirectory(server);
      const res = await d.client.post('/Users', enterpriseUser('dee@example.com', { department: 'Sales' }));
      assert.equal(res.status, 201, res.text);
      const put = await d.client.put(`/Users/${res.body.id}`, enterpriseUser('dee@example.com', { department: 'Marketing' }));
      assert.equal(put.status, 200, put.text);
      assert.deepEqual(types(await d.newEvents()), ['user.created', 'user.updated']);
      assert.equal((await d.client.get('/Groups')).body.totalResults, 0);
    });

    test('a failed write leaves no department group behind', async () => {
      const d = await rulesDirectory(server, { departmentGroups: { enabled: true } });
      await d.createUser('eve@example.com');
      await d.newEvents();
      // Same userName: 409, and the group of its department must not exist.
      const dup = await d.client.post('/Users', enterpriseUser('EVE@example.com', { department: 'Legal' }));
      assert.equal(dup.status, 409, dup.text);
      assert.deepEqual(await d.newEvents(), []);
      assert.equal((await d.client.get('/Groups')).body.totalResults, 0);
    });
  });
}
