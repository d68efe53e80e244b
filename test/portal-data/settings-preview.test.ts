/**
 * Previewing a settings change: the grants and revocations it announces are exactly those the
 * real update then makes, and the preview itself leaves settings, roles and events as they
 * were. Its transaction is rolled back; on SQLite that must not take with it the SCIM writes
 * that the group commit batched with it (store/group-commit.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { previewDirectorySettings, type DirectorySettingsPreview } from '../../src/app/admin/preview-directory-settings.js';
import * as groups from '../../src/app/scim/groups.js';
import * as users from '../../src/app/scim/users.js';
import type { DirectoryEvent } from '../../src/domain/events.js';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { oktaUser } from '../support/scim-client.js';
import { patchOp } from '../conformance/okta/okta.js';
import { rulesDirectory, type RulesDirectory } from '../rules/rules.js';
import { contextOf, type TestContext } from './portal-data.js';

/** What a preview announces, as `+role userName` / `-role userName`, revocations first per user as the events are. */
const announced = (p: DirectorySettingsPreview) => ({
  granted: p.granted.map((c) => `${c.role} ${c.user.userName}`),
  revoked: p.revoked.map((c) => `${c.role} ${c.user.userName}`),
});
/** What the update's role events did, in the same shape. */
const happened = (events: DirectoryEvent[]) => {
  const pick = (type: string) =>
    events.filter((e) => e.type === type).map((e) => {
      const { user, role } = e.data as { user: { userName: string }; role: string };
      return `${role} ${user.userName}`;
    });
  return { granted: pick('user.role_granted'), revoked: pick('user.role_revoked') };
};

for (const { name, skip } of await dialects()) {
  describe(`settings preview on ${name}`, { skip }, () => {
    let server: TestServer;
    let ctx: TestContext;
    before(async () => {
      server = await startTestServer(name);
      ctx = contextOf(server);
    });
    after(async () => server?.close());

    /** Settings, every user's roles and the event count: what a preview must not change. */
    async function snapshot(d: RulesDirectory, userIds: string[]) {
      const store = server.server.scimitar.store;
      return {
        settings: await server.server.scimitar.admin.getDirectorySettings({ directoryId: d.directoryId }),
        roles: await d.roles(...userIds),
        events: await store.events.count(d.directoryId),
        lastSequence: await store.events.lastSequence(d.directoryId),
      };
    }

    test('announces what the update then does, and changes nothing itself', async () => {
      const d = await rulesDirectory(server);
      const [ann, bob, cy] = [await d.createUser('ann@example.com'), await d.createUser('bob@example.com'), await d.createUser('cy@example.com')];
      await d.createGroup('Envi_Admin', [ann, bob]);
      await d.createGroup('Sales', [cy, ann]);
      const ids = [ann.id, bob.id, cy.id];
      await d.newEvents();

      const steps: unknown[] = [
        { roles: { prefix: 'Envi_' } },
        { roles: { prefix: null, mappings: [{ group: 'sales', role: 'Seller' }] } },
        { departmentGroups: { enabled: true } },
        { roles: { mappings: [{ group: 'Sales', role: 'Seller' }, { group: 'Envi_Admin', role: 'Owner' }] } },
        { roles: { mappings: [] } },
      ];
      const seen: string[] = [];
      for (const settings of steps) {
        const before = await snapshot(d, ids);
        const preview = await previewDirectorySettings(ctx, { directoryId: d.directoryId, settings });
        assert.deepEqual(await snapshot(d, ids), before, `preview of ${JSON.stringify(settings)} wrote nothing`);

        const saved = await d.settings(settings);
        assert.deepEqual(preview.settings, saved, 'the settings the update left');
        assert.deepEqual(announced(preview), happened(await d.newEvents()), `the role events of ${JSON.stringify(settings)}`);
        seen.push(...announced(preview).granted.map((g) => `+${g}`), ...announced(preview).revoked.map((r) => `-${r}`));
      }
      // The steps did move roles both ways (else the comparison above proves little).
      assert.deepEqual(seen.sort(), [
        '+Admin ann@example.com',
        '+Admin bob@example.com',
        '+Owner ann@example.com',
        '+Owner bob@example.com',
        '+Seller ann@example.com',
        '+Seller cy@example.com',
        '-Admin ann@example.com',
        '-Admin bob@example.com',
        '-Owner ann@example.com',
        '-Owner bob@example.com',
        '-Seller ann@example.com',
        '-Seller cy@example.com',
      ]);
      const preview = await previewDirectorySettings(ctx, { directoryId: d.directoryId, settings: { roles: { prefix: 'envi_' } } });
      assert.deepEqual(preview.granted.map((g) => g.user), [ann, bob].map((u) => ({ id: u.id, userName: u.userName, email: u.userName })), 'full user references');
    });

    test('validation and unknown directory fail like the update, writing nothing', async () => {
      const d = await rulesDirectory(server);
      const before = await snapshot(d, []);
      await assert.rejects(previewDirectorySettings(ctx, { directoryId: d.directoryId, settings: { roles: { prefix: 5 } } }), (e: { code: string; detail: string }) => e.code === 'invalid_value' && /settings\.roles\.prefix/.test(e.detail));
      await assert.rejects(previewDirectorySettings(ctx, { directoryId: d.directoryId, settings: { departmentGroup: {} } }), { code: 'invalid_value' });
      await assert.rejects(previewDirectorySettings(ctx, { directoryId: 'dir_missing', settings: {} }), { code: 'not_found' });
      assert.deepEqual(await snapshot(d, []), before);
      // Nothing to change: the current settings, no role changes.
      assert.deepEqual(await previewDirectorySettings(ctx, { directoryId: d.directoryId, settings: {} }), { settings: before.settings, granted: [], revoked: [] });
    });

    test('SCIM writes committed alongside a preview are kept', async () => {
      const d = await rulesDirectory(server);
      const store = server.server.scimitar.store;
      const [ann, dan] = [await d.createUser('ann@example.com'), await d.createUser('dan@example.com')];
      const admin = await d.createGroup('Envi_Admin', [ann]);
      const directory = (await store.directories.findById(d.directoryId))!;
      const before = await snapshot(d, [ann.id, dan.id]);
      await d.newEvents();

      // Hold a transaction open so the next units queue behind it. On SQLite they then run in
      // its batch, each in a savepoint, and commit together: a write, the preview, a write.
      let open!: () => void;
      const holding = store.transaction(() => new Promise<void>((resolve) => (open = resolve)));
      const joinAdmin = groups.patchGroup(ctx, directory, admin, patchOp({ op: 'add', path: 'members', value: [{ value: dan.id, display: dan.userName }] }));
      const preview = previewDirectorySettings(ctx, { directoryId: d.directoryId, settings: { roles: { prefix: 'Envi_' } } });
      const createEve = users.createUser(ctx, directory, oktaUser('eve@example.com'));
      await new Promise((resolve) => setTimeout(resolve, 20));
      open();
      const [, , announced, eve] = await Promise.all([holding, joinAdmin, preview, createEve]);

      if (name === 'sqlite') {
        // In the batch, after the membership write: the preview saw it.
        assert.deepEqual(announced.granted.map((g) => g.user.userName).sort(), ['ann@example.com', 'dan@example.com']);
      }
      const members = (await d.client.get(`/Groups/${admin}`)).body.members.map((m: { value: string }) => m.value);
      assert.deepEqual(members.sort(), [ann.id, dan.id].sort(), 'the membership added next to the preview is kept');
      assert.equal((await d.client.get(`/Users/${eve.id}`)).status, 200, 'the user created next to the preview is kept');
      const after = await snapshot(d, [ann.id, dan.id]);
      assert.deepEqual(after.roles, before.roles, 'no roles from the preview');
      assert.deepEqual(after.settings, before.settings);
      assert.deepEqual((await d.newEvents()).map((e) => e.type).sort(), ['group.member_added', 'user.created'], "the writes' events, none of the preview's");
    });

    test('previews during a burst of SCIM traffic: every request lands, no preview leaks', async () => {
      const d = await rulesDirectory(server);
      const seed = await d.createUser('seed@example.com');
      const admin = await d.createGroup('Envi_Admin', [seed]);
      await d.newEvents();
      const creates = Array.from({ length: 12 }, (_, i) => d.client.post('/Users', oktaUser(`burst${i}@example.com`)));
      const previews = Array.from({ length: 4 }, () => previewDirectorySettings(ctx, { directoryId: d.directoryId, settings: { roles: { prefix: 'Envi_' } } }));
      const created = await Promise.all(creates);
      for (const r of created) assert.equal(r.status, 201, r.text);
      for (const p of await Promise.all(previews)) assert.deepEqual(announced(p), { granted: ['Admin seed@example.com'], revoked: [] });
      const push = await d.client.patch(`/Groups/${admin}`, patchOp({ op: 'add', path: 'members', value: created.map((r) => ({ value: r.body.id })) }));
      assert.equal(push.status, 204, push.text);
      const events = await d.newEvents();
      assert.equal(events.filter((e) => e.type === 'user.created').length, 12);
      assert.equal(events.filter((e) => e.type === 'group.member_added').length, 12);
      assert.ok(!events.some((e) => e.type.startsWith('user.role_')));
      assert.deepEqual(await d.roles(seed.id, ...created.map((r) => r.body.id)), Array.from({ length: 13 }, () => []));
    });
  });
}
