/**
 * The directory read API after Okta-shaped SCIM traffic: normalized users (groups, roles,
 * resolved manager), filters, groups with member counts, members, keyset pagination that
 * neither skips nor repeats while users are added, and a constant number of queries per page.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startCountedServer, type CountedServer } from '../support/counted-server.js';
import { ENTERPRISE_URN, GROUP_URN, PATCH_OP, ScimClient, USER_URN, oktaUser } from '../support/scim-client.js';
import { api, errorCode, newTenant, type RawApi, type Tenant } from './helpers.js';

const enterpriseUser = (userName: string, enterprise: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  oktaUser(userName, { schemas: [USER_URN, ENTERPRISE_URN], [ENTERPRISE_URN]: enterprise, ...extra });

async function addMembers(scim: ScimClient, groupId: string, userIds: string[]): Promise<void> {
  const r = await scim.patch(`/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: userIds.map((value) => ({ value })) }] });
  assert.equal(r.status, 204, r.text);
}

/** Every item of a paginated route, following nextCursor. */
async function allPages(client: RawApi, path: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await client.get(`${path}${sep}limit=${limit}${after ? `&after=${after}` : ''}`);
    assert.equal(page.status, 200, page.text);
    ids.push(...page.body.data.map((x: { id: string }) => x.id));
    after = page.body.nextCursor;
    pages++;
  } while (after);
  return { ids, pages };
}

for (const { name, skip } of await dialects()) {
  describe(`directory read API on ${name}`, { skip }, () => {
    let server: TestServer;
    let t: Tenant;
    let dir: string;
    const ids: Record<string, string> = {};

    before(async () => {
      server = await startTestServer(name);
      t = await newTenant(server);
      dir = `/directories/${t.directoryId}`;
      // Okta pushes the manager first, then reports with manager.value = the manager's Okta id.
      const boss = await t.scim.post('/Users', enterpriseUser('boss@acme.example', { department: 'Leadership' }, { externalId: '00uBOSS' }));
      ids['boss'] = boss.body.id;
      const ann = await t.scim.post('/Users', enterpriseUser('Ann@Acme.example', { department: 'Engineering', employeeNumber: '42', manager: { value: '00uBOSS', displayName: 'The Boss' } }, { title: 'Engineer' }));
      ids['ann'] = ann.body.id;
      const bob = await t.scim.post('/Users', enterpriseUser('bob@acme.example', { manager: { value: 'someone-elsewhere', displayName: 'Outside' } }, { emails: [{ value: 'bob@acme.example', type: 'work', primary: true }, { value: 'Bobby@Home.example', type: 'home' }] }));
      ids['bob'] = bob.body.id;
      ids['cat'] = (await t.scim.post('/Users', oktaUser('cat@acme.example'))).body.id;
      ids['dan'] = (await t.scim.post('/Users', oktaUser('dan@acme.example'))).body.id;
      const eng = await t.scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Engineering', externalId: '00gENG' });
      const all = await t.scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Everyone' });
      ids['eng'] = eng.body.id;
      ids['all'] = all.body.id;
      await addMembers(t.scim, ids['eng']!, [ids['ann']!, ids['bob']!]);
      await addMembers(t.scim, ids['all']!, [ids['boss']!, ids['ann']!, ids['bob']!, ids['cat']!, ids['dan']!]);
      // Okta deactivates cat, and dan is deleted.
      assert.equal((await t.scim.patch(`/Users/${ids['cat']}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] })).status, 200);
      assert.equal((await t.scim.delete(`/Users/${ids['dan']}`)).status, 204);
    });
    after(async () => server?.close());

    test('a normalized user: names, emails, enterprise attributes, groups, roles and a resolved manager', async () => {
      const ann = await t.api.get(`${dir}/users/${ids['ann']}`);
      assert.equal(ann.status, 200);
      const u = ann.body;
      assert.equal(u.id, ids['ann']);
      assert.equal(u.directoryId, t.directoryId);
      assert.equal(u.organizationId, t.organizationId);
      assert.equal(u.userName, 'Ann@Acme.example');
      assert.equal(u.email, 'Ann@Acme.example');
      assert.equal(u.firstName, 'Ann');
      assert.equal(u.lastName, 'Tester');
      assert.equal(u.state, 'active');
      assert.equal(u.title, 'Engineer');
      assert.equal(u.department, 'Engineering');
      assert.equal(u.employeeNumber, '42');
      assert.deepEqual(u.manager, { id: ids['boss'], value: '00uBOSS', displayName: 'The Boss' });
      assert.deepEqual(u.groups.map((g: { name: string }) => g.name).sort(), ['Engineering', 'Everyone']);
      assert.deepEqual(u.roles, []);
      assert.equal(u.raw.userName, 'Ann@Acme.example');
      assert.match(u.idpId, /^00u/);

      const bob = (await t.api.get(`${dir}/users/${ids['bob']}`)).body;
      assert.deepEqual(bob.manager, { id: null, value: 'someone-elsewhere', displayName: 'Outside' });
      assert.equal(bob.emails.length, 2);
      const dan = await t.api.get(`${dir}/users/${ids['dan']}`);
      assert.equal(dan.body.state, 'deleted');
      assert.deepEqual(dan.body.groups, []);
      const missing = await t.api.get(`${dir}/users/usr_nope`);
      assert.equal(missing.status, 404);
      assert.equal(errorCode(missing), 'not_found');
    });

    test('filters: state, email (any email, case-insensitive) and group; list items match the single reads', async () => {
      const names = async (query: string) => (await t.api.get(`${dir}/users${query}`)).body.data.map((u: { userName: string }) => u.userName);
      assert.deepEqual(await names(''), ['boss@acme.example', 'Ann@Acme.example', 'bob@acme.example', 'cat@acme.example']);
      assert.deepEqual(await names('?state=active'), ['boss@acme.example', 'Ann@Acme.example', 'bob@acme.example']);
      assert.deepEqual(await names('?state=inactive'), ['cat@acme.example']);
      assert.deepEqual(await names('?state=deleted'), ['dan@acme.example']);
      assert.deepEqual(await names('?email=ANN%40acme.EXAMPLE'), ['Ann@Acme.example']);
      assert.deepEqual(await names('?email=bobby%40home.example'), ['bob@acme.example']);
      assert.deepEqual(await names('?email=nobody%40acme.example'), []);
      assert.deepEqual(await names(`?groupId=${ids['eng']}`), ['Ann@Acme.example', 'bob@acme.example']);
      assert.deepEqual(await names(`?groupId=${ids['all']}&state=inactive`), ['cat@acme.example']);
      const listed = (await t.api.get(`${dir}/users?email=ann%40acme.example`)).body.data[0];
      assert.deepEqual(listed, (await t.api.get(`${dir}/users/${ids['ann']}`)).body);
    });

    test('groups carry member counts; members are normalized users, paged', async () => {
      const groups = await t.api.get(`${dir}/groups`);
      assert.deepEqual(
        groups.body.data.map((g: { name: string; memberCount: number; idpId: string | null }) => [g.name, g.memberCount, g.idpId]),
        [['Engineering', 2, '00gENG'], ['Everyone', 4, null]],
      );
      assert.equal(groups.body.nextCursor, null);
      const one = await t.api.get(`${dir}/groups/${ids['eng']}`);
      assert.deepEqual(one.body, groups.body.data[0]);
      const members = await allPages(t.api, `${dir}/groups/${ids['all']}/members`, 3);
      assert.deepEqual(members.ids, [ids['boss'], ids['ann'], ids['bob'], ids['cat']]);
      assert.equal(members.pages, 2);
      assert.equal((await t.api.get(`${dir}/groups/grp_nope/members`)).status, 404);
    });

    test('pages by cursor neither skip nor repeat users while more are being added', async () => {
      const tenant = await newTenant(server);
      const path = `/directories/${tenant.directoryId}/users`;
      const before: string[] = [];
      for (let i = 0; i < 10; i++) before.push((await tenant.scim.post('/Users', oktaUser(`p${i}@acme.example`))).body.id);
      const seen: string[] = [];
      let after: string | null = null;
      let added = 0;
      do {
        const page = await tenant.api.get(`${path}?limit=3${after ? `&after=${after}` : ''}`);
        assert.equal(page.status, 200, page.text);
        seen.push(...page.body.data.map((u: { id: string }) => u.id));
        after = page.body.nextCursor;
        // Okta keeps provisioning while the app pages.
        if (added < 6) {
          await tenant.scim.post('/Users', oktaUser(`new${added++}@acme.example`));
          await tenant.scim.post('/Users', oktaUser(`new${added++}@acme.example`));
        }
      } while (after);
      assert.equal(new Set(seen).size, seen.length, 'no user twice');
      for (const id of before) assert.ok(seen.includes(id), `${id} was listed`);
      assert.deepEqual([...seen].sort(), seen, 'in id order');
      const total = (await allPages(tenant.api, path, 1000)).ids;
      assert.equal(total.length, 16);
    });
  });

  describe(`directory read API query count on ${name}`, { skip }, () => {
    let counted: CountedServer;

    before(async () => {
      counted = await startCountedServer(name);
    });
    after(() => counted?.close());

    test('a page of users costs the same few queries for 5 users as for 60 (groups, roles and managers batched)', async () => {
      const org = await counted.scimitar.admin.createOrganization({ name: 'Batch' });
      const created = await counted.scimitar.admin.createDirectory({ organizationId: org.id, provider: 'okta' });
      const { key } = await counted.scimitar.admin.createApiKey({ organizationId: org.id });
      const url = counted.url;
      const scim = new ScimClient(`${url}/scim/v2/${created.directory.id}`, created.token);
      const userIds: string[] = [];
      for (let i = 0; i < 60; i++) {
        const body = i === 0 ? oktaUser('u0@acme.example') : enterpriseUser(`u${i}@acme.example`, { manager: { value: userIds[0], displayName: 'U0' } });
        userIds.push((await scim.post('/Users', body)).body.id);
      }
      for (const g of ['A', 'B', 'C']) {
        const group = await scim.post('/Groups', { schemas: [GROUP_URN], displayName: g });
        await addMembers(scim, group.body.id, userIds);
      }
      const client = api({ url } as TestServer, key);
      const path = `/directories/${created.directory.id}/users`;
      await client.get(`${path}?limit=1`); // records the key's last use, which happens once a minute
      // The SCIM request log is written in the background: flush it now so it is not counted.
      await counted.scimitar.admin.requestLog({ directoryId: created.directory.id, limit: 1 });
      const cost = async (limit: number) => {
        counted.queries = 0;
        const page = await client.get(`${path}?limit=${limit}`);
        assert.equal(page.status, 200);
        assert.equal(page.body.data.length, limit);
        assert.ok(page.body.data.slice(1).every((u: { manager: { id: string }; groups: unknown[] }) => u.manager.id === userIds[0] && u.groups.length === 3));
        return counted.queries;
      };
      const small = await cost(5);
      const large = await cost(60);
      assert.equal(large, small, `queries for 60 users (${large}) vs 5 users (${small})`);
      assert.ok(small <= 8, `${small} queries for one page`);
    });
  });
}
