/**
 * Roles from groups, driven by Okta-shaped Group Push: Envi's `Envi_` prefix (create the group,
 * add members, remove one, rename it away from the prefix, delete it), explicit group -> role
 * mappings, a settings change that recomputes the whole directory, and no role work at all
 * when the directory has no role rules.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { patchOp } from '../conformance/okta/okta.js';
import { roleChanges, rulesDirectory, types } from './rules.js';

for (const { name, skip } of await dialects()) {
  describe(`roles from groups on ${name}`, { skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(name);
    });
    after(async () => server?.close());

    test('Envi: members of Envi_Admin get the role Admin, with events after the membership events', async () => {
      const d = await rulesDirectory(server, { roles: { prefix: 'Envi_' } });
      const [ann, bob] = [await d.createUser('ann@example.com'), await d.createUser('bob@example.com')];
      await d.newEvents();

      const admin = await d.createGroup('Envi_Admin');
      let events = await d.newEvents();
      assert.deepEqual(types(events), ['group.created']);
      assert.deepEqual((events[0]!.data as { group: { roles: string[] } }).group.roles, ['Admin'], 'the group view names its role');

      await d.addMembers(admin, [ann, bob]);
      events = await d.newEvents();
      assert.deepEqual(types(events), ['group.member_added', 'group.member_added', 'user.role_granted', 'user.role_granted']);
      assert.deepEqual(roleChanges(events), ['+Admin ann@example.com', '+Admin bob@example.com'], 'in the order Okta named the members');
      assert.deepEqual(events[2]!.data, { user: { id: ann.id, userName: ann.userName, email: ann.userName }, role: 'Admin' });
      assert.deepEqual((await d.normalized(ann.id)).roles, ['Admin']);

      // A second group granting the same role: no new grant, and leaving one keeps the role.
      const admins2 = await d.createGroup('ENVI_admin_backup', [ann]);
      assert.deepEqual(roleChanges(await d.newEvents()), ['+admin_backup ann@example.com'], 'the prefix matches case-insensitively, the role keeps the name');
      await d.removeMember(admins2, ann.id);
      assert.deepEqual(roleChanges(await d.newEvents()), ['-admin_backup ann@example.com']);

      await d.removeMember(admin, bob.id);
      events = await d.newEvents();
      assert.deepEqual(types(events), ['group.member_removed', 'user.role_revoked']);
      assert.deepEqual(roleChanges(events), ['-Admin bob@example.com']);
      assert.deepEqual(await d.roles(ann.id, bob.id), [['Admin'], []]);
      assert.deepEqual((await d.normalized(bob.id)).roles, []);
    });

    test('Envi: renaming a group changes its members\' roles; renaming it away from the prefix revokes them', async () => {
      const d = await rulesDirectory(server, { roles: { prefix: 'Envi_' } });
      const [ann, bob] = [await d.createUser('ann@example.com'), await d.createUser('bob@example.com')];
      const group = await d.createGroup('Envi_Viewer', [ann, bob]);
      assert.deepEqual(roleChanges(await d.newEvents()), ['+Viewer ann@example.com', '+Viewer bob@example.com']);

      await d.renameGroup(group, 'Envi_Editor');
      let events = await d.newEvents();
      assert.deepEqual(types(events), ['group.updated', 'user.role_revoked', 'user.role_granted', 'user.role_revoked', 'user.role_granted']);
      assert.deepEqual((events[0]!.data as { group: { roles: string[] } }).group.roles, ['Editor']);
      assert.deepEqual(roleChanges(events).sort(), ['+Editor ann@example.com', '+Editor bob@example.com', '-Viewer ann@example.com', '-Viewer bob@example.com']);

      // A case-only rename keeps the role: nothing to recompute.
      await d.renameGroup(group, 'envi_Editor');
      assert.deepEqual(types(await d.newEvents()), ['group.updated']);

      await d.renameGroup(group, 'Editors');
      events = await d.newEvents();
      assert.deepEqual(roleChanges(events).sort(), ['-Editor ann@example.com', '-Editor bob@example.com']);
      assert.deepEqual(await d.roles(ann.id, bob.id), [[], []]);

      // PUT with a new name and a new member list: both matter.
      const put = await d.client.put(`/Groups/${group}`, { displayName: 'Envi_Owner', members: [{ value: bob.id }] });
      assert.equal(put.status, 200, put.text);
      events = await d.newEvents();
      assert.deepEqual(types(events), ['group.updated', 'group.member_removed', 'user.role_granted']);
      assert.deepEqual(roleChanges(events), ['+Owner bob@example.com']);
    });

    test('Envi: deleting a group revokes its roles from every member', async () => {
      const d = await rulesDirectory(server, { roles: { prefix: 'Envi_' } });
      const users = [await d.createUser('a@example.com'), await d.createUser('b@example.com'), await d.createUser('c@example.com')];
      const group = await d.createGroup('Envi_Admin', users);
      await d.createGroup('Envi_Viewer', [users[0]!]);
      await d.newEvents();

      assert.equal((await d.client.delete(`/Groups/${group}`)).status, 204);
      const events = await d.newEvents();
      assert.deepEqual(types(events), ['group.deleted', 'user.role_revoked', 'user.role_revoked', 'user.role_revoked']);
      assert.deepEqual(roleChanges(events).sort(), ['-Admin a@example.com', '-Admin b@example.com', '-Admin c@example.com']);
      assert.deepEqual(await d.roles(...users.map((u) => u.id)), [['Viewer'], [], []]);

      // Deleting a user revokes its roles too, after its membership events and before user.deleted.
      assert.equal((await d.client.delete(`/Users/${users[0]!.id}`)).status, 204);
      const gone = await d.newEvents();
      assert.deepEqual(types(gone), ['group.member_removed', 'user.role_revoked', 'user.deleted']);
      assert.deepEqual((gone[2]!.data as { user: { roles: string[] } }).user.roles, []);
      assert.deepEqual(await d.roles(users[0]!.id), [[]]);
    });

    test('explicit mappings: a group grants its mapped roles, matched case-insensitively', async () => {
      const d = await rulesDirectory(server, {
        roles: { mappings: [{ group: 'Engineering', role: 'developer' }, { group: 'engineering', role: 'deployer' }, { group: 'Support', role: 'agent' }] },
      });
      const [ann, bob] = [await d.createUser('ann@example.com'), await d.createUser('bob@example.com')];
      await d.createGroup('ENGINEERING', [ann]);
      const support = await d.createGroup('Support', [ann, bob]);
      await d.createGroup('Everyone', [ann, bob]);
      assert.deepEqual(await d.roles(ann.id, bob.id), [['agent', 'deployer', 'developer'], ['agent']]);
      const view = await d.normalized(ann.id);
      assert.deepEqual(view.roles, ['agent', 'deployer', 'developer']);
      assert.deepEqual(view.groups.map((g) => g.name).sort(), ['ENGINEERING', 'Everyone', 'Support']);
      await d.newEvents();

      // A group that grants nothing: membership events only.
      const everyone = (await d.client.get(`/Groups?filter=${encodeURIComponent('displayName eq "Everyone"')}`)).body.Resources[0].id;
      await d.removeMember(everyone, bob.id);
      assert.deepEqual(types(await d.newEvents()), ['group.member_removed']);

      await d.removeMember(support, ann.id);
      assert.deepEqual(roleChanges(await d.newEvents()), ['-agent ann@example.com']);
    });

    test('a settings change recomputes the roles of the whole directory, in one transaction with its events', async () => {
      const d = await rulesDirectory(server);
      const users = await Promise.all(['a', 'b', 'c'].map((n) => d.createUser(`${n}@example.com`)));
      await d.createGroup('Envi_Admin', [users[0]!, users[1]!]);
      await d.createGroup('Sales', [users[2]!]);
      assert.deepEqual(await d.newEvents().then(roleChanges), [], 'no rules yet: no roles');

      let settings = await d.settings({ roles: { prefix: 'envi_' } });
      assert.deepEqual(settings, { roles: { prefix: 'envi_', mappings: [] }, departmentGroups: { enabled: false } });
      assert.deepEqual((await d.newEvents().then(roleChanges)).sort(), ['+Admin a@example.com', '+Admin b@example.com']);

      settings = await d.settings({ roles: { mappings: [{ group: 'sales', role: 'Seller' }] } });
      assert.deepEqual(settings, { roles: { prefix: 'envi_', mappings: [{ group: 'sales', role: 'Seller' }] }, departmentGroups: { enabled: false } });
      assert.deepEqual(await d.newEvents().then(roleChanges), ['+Seller c@example.com']);

      // The same settings again: nothing happens.
      await d.settings({ roles: { prefix: 'envi_' } });
      assert.deepEqual(await d.newEvents(), []);

      await d.settings({ roles: { prefix: null } });
      assert.deepEqual((await d.newEvents().then(roleChanges)).sort(), ['-Admin a@example.com', '-Admin b@example.com']);
      await d.settings({ roles: { mappings: [] } });
      assert.deepEqual(await d.newEvents().then(roleChanges), ['-Seller c@example.com']);
      assert.deepEqual(await d.roles(...users.map((u) => u.id)), [[], [], []]);
      assert.deepEqual(await server.server.scimitar.admin.getDirectorySettings({ directoryId: d.directoryId }), {
        roles: { mappings: [] },
        departmentGroups: { enabled: false },
      });
    });

    test('settings are validated, and the error names the bad value', async () => {
      const d = await rulesDirectory(server);
      const bad = [
        [{ roles: { prefix: 5 } }, /settings\.roles\.prefix/],
        [{ roles: { mappings: [{ group: '', role: 'x' }] } }, /settings\.roles\.mappings\.0\.group/],
        [{ departmentGroup: { enabled: true } }, /settings/],
        [{ departmentGroups: { enabled: 'yes' } }, /settings\.departmentGroups\.enabled/],
      ] as const;
      for (const [settings, message] of bad) {
        await assert.rejects(d.settings(settings), (e: { code: string; detail: string }) => e.code === 'invalid_value' && message.test(e.detail));
      }
      await assert.rejects(server.server.scimitar.admin.getDirectorySettings({ directoryId: 'dir_missing' }), { code: 'not_found' });
      await assert.rejects(server.server.scimitar.admin.updateDirectorySettings({ directoryId: 'dir_missing', settings: {} }), { code: 'not_found' });
    });

    test('without role rules, group changes write no roles and no role events', async () => {
      const d = await rulesDirectory(server);
      const [ann, bob] = [await d.createUser('ann@example.com'), await d.createUser('bob@example.com')];
      const group = await d.createGroup('Envi_Admin', [ann]);
      await d.addMembers(group, [bob]);
      await d.renameGroup(group, 'Envi_Owner');
      const res = await d.client.patch(`/Groups/${group}`, patchOp({ op: 'remove', path: 'members' }));
      assert.equal(res.status, 204, res.text);
      assert.equal((await d.client.delete(`/Groups/${group}`)).status, 204);
      assert.equal((await d.client.delete(`/Users/${ann.id}`)).status, 204);
      const events = await d.newEvents();
      assert.deepEqual(roleChanges(events), []);
      assert.ok(events.every((e) => e.type !== 'group.created' || (e.data as { group: { roles: string[] } }).group.roles.length === 0));
      assert.deepEqual(await d.roles(ann.id, bob.id), [[], []]);
    });
  });
}
