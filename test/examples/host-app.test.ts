/**
 * End to end: Okta-shaped SCIM traffic into Scimitar, webhooks out to the example host app,
 * and the app's own users table equal to the directory afterwards.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createHostApp, type HostApp } from '../../examples/host-app/app.js';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { GROUP_URN, PATCH_OP, oktaUser, type ScimClient } from '../support/scim-client.js';

async function allUsers(client: ScimClient): Promise<any[]> {
  const users: any[] = [];
  for (let start = 1; ; start += 100) {
    const page = await client.get(`/Users?startIndex=${start}&count=100`);
    users.push(...page.body.Resources);
    if (users.length >= page.body.totalResults) return users;
  }
}

for (const { name, skip } of await dialects()) {
  describe(`example host app on ${name}`, { skip }, () => {
    let server: TestServer;
    let app: HostApp;

    before(async () => {
      server = await startTestServer(name);
    });
    after(async () => {
      await app?.close();
      await server?.close();
    });

    test("the app's users table matches the directory after Okta provisions, updates, deactivates, deletes and pushes groups", async () => {
      const { client, organizationId } = await server.newDirectory('okta');
      const scimitar = server.server.scimitar;
      // The endpoint first: an endpoint receives the events from its creation on.
      const secretHolder = { secret: '' };
      app = createHostApp({ get secret() { return secretHolder.secret; } } as { secret: string });
      await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
      const port = (app.server.address() as AddressInfo).port;
      const created = await scimitar.webhooks.create({ organizationId, url: `http://127.0.0.1:${port}/webhooks/scimitar` });
      secretHolder.secret = created.secret;

      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const r = await client.post('/Users', oktaUser(`person${i}@example.com`));
        assert.equal(r.status, 201, r.text);
        ids.push(r.body.id);
      }
      // Okta's profile update, deactivation, reactivation and a delete.
      const first = (await client.get(`/Users/${ids[0]}`)).body;
      assert.equal((await client.put(`/Users/${ids[0]}`, { ...first, name: { givenName: 'Renamed', familyName: 'Person' } })).status, 200);
      for (const id of ids.slice(1, 6)) {
        assert.equal((await client.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] })).status, 200);
      }
      assert.equal((await client.patch(`/Users/${ids[1]}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] })).status, 200);
      assert.equal((await client.delete(`/Users/${ids[29]}`)).status, 204);
      // Push Groups: create, fill, remove one, rename.
      const group = await client.post('/Groups', { schemas: [GROUP_URN], displayName: 'Engineering' });
      assert.equal(group.status, 201);
      const add = await client.patch(`/Groups/${group.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'add', path: 'members', value: ids.slice(0, 10).map((value) => ({ value })) }],
      });
      assert.equal(add.status, 204, add.text);
      await client.patch(`/Groups/${group.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${ids[3]}"]` }] });
      await client.patch(`/Groups/${group.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id: group.body.id, displayName: 'Platform' } }] });

      // Deliver until the outbox is drained (the background worker may take part too).
      const deadline = Date.now() + 20_000;
      let applied = 0;
      const total = await scimitar.store.events.lastSequence((await scimitar.store.directories.listByOrganization(organizationId))[0]!.id);
      while (Date.now() < deadline) {
        await scimitar.deliverNow();
        applied = (app.db.prepare('select count(*) as n from applied_events').get() as { n: number }).n;
        if (applied >= total) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(applied, total, 'every event reached the app');

      const directoryUsers = await allUsers(client);
      const appUsers = app.db.prepare('select id, user_name, email, first_name, active from users order by id').all() as any[];
      assert.deepEqual(
        appUsers.map((u) => ({ id: u.id, userName: u.user_name, email: u.email, firstName: u.first_name, active: u.active === 1 })),
        directoryUsers
          .map((u) => ({ id: u.id, userName: u.userName, email: u.emails[0].value, firstName: u.name.givenName, active: u.active }))
          .sort((a, b) => (a.id < b.id ? -1 : 1)),
      );
      const members = (await client.get(`/Groups/${group.body.id}`)).body.members.map((m: any) => m.value).sort();
      const appMembers = app.db.prepare("select user_id from memberships where group_name = 'Platform' order by user_id").all() as { user_id: string }[];
      assert.deepEqual(appMembers.map((m) => m.user_id), members);
      assert.equal(members.length, 9);
    });
  });
}
