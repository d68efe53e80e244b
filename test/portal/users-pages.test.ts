/**
 * Screen 4 of the portal, users and groups, over real HTTP on a real database: an IT
 * administrator's session (a setup link redeemed with fetch), Okta-shaped traffic creating users
 * and pushing groups, then the pages: totals, search, paging without duplicates, a user's groups
 * and history naming the request behind each change, escaping of IdP-controlled values, and
 * tenancy (another directory's user is 404 here).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Scimitar } from '../../src/runtime/create-scimitar.js';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startCountedServer, type CountedServer } from '../support/counted-server.js';
import { ENTERPRISE_URN, ScimClient, USER_URN, oktaUser } from '../support/scim-client.js';
import { DEACTIVATE, createUsers, oktaGroup, patchOp } from '../conformance/okta/okta.js';
import { visibleText as textOf } from '../support/portal.js';

interface Portal {
  get(path: string): Promise<{ status: number; body: string }>;
}

/** Redeems a setup link the way a browser does: GET (pre-session cookie), POST with `_csrf`, session cookie from the 303. */
async function signIn(server: { url: string; scimitar: Scimitar }, organizationId: string): Promise<Portal> {
  const link = await server.scimitar.admin.createPortalLink({ organizationId });
  const linkUrl = server.url + new URL(link.url).pathname;
  const landing = await fetch(linkUrl, { redirect: 'manual' });
  assert.equal(landing.status, 200, await landing.text());
  const preSession = cookieValue(landing.headers, 'scimitar_presession');
  assert.ok(preSession, 'the landing page sets the pre-session cookie');
  const redeemed = await fetch(linkUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `scimitar_presession=${preSession}` },
    body: new URLSearchParams({ _csrf: preSession }).toString(),
  });
  assert.equal(redeemed.status, 303, await redeemed.text());
  const session = cookieValue(redeemed.headers, 'scimitar_session');
  assert.ok(session, 'redeeming the link opens a session');
  return {
    async get(path) {
      const response = await fetch(server.url + path, { redirect: 'manual', headers: { cookie: `scimitar_session=${session}` } });
      return { status: response.status, body: await response.text() };
    },
  };
}

function cookieValue(headers: Headers, name: string): string | undefined {
  for (const cookie of headers.getSetCookie()) {
    const [pair] = cookie.split(';');
    const at = pair!.indexOf('=');
    if (pair!.slice(0, at).trim() === name) return pair!.slice(at + 1);
  }
  return undefined;
}


/** Ids of the users a list links to, in page order. */
function linkedUserIds(body: string, usersPath: string): string[] {
  const ids: string[] = [];
  const pattern = new RegExp(`href="${usersPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/([^"?#]+)"`, 'g');
  for (const match of body.matchAll(pattern)) ids.push(decodeURIComponent(match[1]!));
  return ids;
}

/** The table rows of the history section. */
function historyRows(body: string): string[] {
  const table = body.match(/<table class="history">([\s\S]*?)<\/table>/)?.[1] ?? '';
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!).slice(1);
}

for (const { name, skip } of await dialects()) {
  describe(`portal users and groups pages on ${name}`, { skip }, () => {
    let server: TestServer;
    let organizationId: string;
    let directoryId: string;
    let client: ScimClient;
    let portal: Portal;
    let dirPath: string;
    let people: { id: string; userName: string }[];

    before(async () => {
      server = await startTestServer(name);
      ({ organizationId, directoryId, client } = await server.newDirectory('okta'));
      portal = await signIn({ url: server.url, scimitar: server.server.scimitar }, organizationId);
      dirPath = `/portal/o/${organizationId}/d/${directoryId}`;
    });
    after(async () => server?.close());

    test('before Okta sends anyone, the users and groups pages say what to do in words', async () => {
      const users = await portal.get(`${dirPath}/users`);
      assert.equal(users.status, 200, users.body);
      assert.match(textOf(users.body), /No users yet: assign people to the app in Okta \(Assignments tab\) and they appear here within seconds/);
      const groups = await portal.get(`${dirPath}/groups`);
      assert.equal(groups.status, 200, groups.body);
      assert.match(textOf(groups.body), /No groups yet: push groups from Okta \(Push Groups tab/);
    });

    test('users Okta created are listed with their total, 50 a page, without duplicates across pages', async () => {
      people = await createUsers(client, Array.from({ length: 55 }, (_, i) => `person${String(i).padStart(2, '0')}@acme.example`));
      const engineering = await client.post('/Groups', oktaGroup('Engineering', people.slice(0, 3).map((p) => ({ value: p.id, display: p.userName }))));
      assert.equal(engineering.status, 201, engineering.text);

      const first = await portal.get(`${dirPath}/users`);
      assert.equal(first.status, 200, first.body);
      assert.match(textOf(first.body), /Showing 1–50 of 55 users/);
      const firstIds = linkedUserIds(first.body, `${dirPath}/users`);
      assert.equal(firstIds.length, 50);
      assert.match(first.body, new RegExp(`href="${dirPath}/users\\?page=2" rel="next">Next</a>`));
      assert.doesNotMatch(first.body, /rel="prev"/);

      const second = await portal.get(`${dirPath}/users?page=2`);
      assert.equal(second.status, 200, second.body);
      assert.match(textOf(second.body), /Showing 51–55 of 55 users/);
      const secondIds = linkedUserIds(second.body, `${dirPath}/users`);
      assert.equal(secondIds.length, 5);
      assert.match(second.body, new RegExp(`href="${dirPath}/users" rel="prev">Previous</a>`));
      assert.doesNotMatch(second.body, /rel="next"/);

      const all = [...firstIds, ...secondIds];
      assert.equal(new Set(all).size, 55, 'no user is on both pages');
      assert.deepEqual([...all].sort(), people.map((p) => p.id).sort());

      // A group member's row counts the group; columns show userName, primary email and state.
      const row = first.body.match(new RegExp(`<tr><td><a href="${dirPath}/users/${people[0]!.id}">[\\s\\S]*?</tr>`))?.[0] ?? '';
      assert.match(textOf(row), /person00 Tester person00@acme\.example person00@acme\.example Active 1/);
      assert.match(row, /title="Engineering"/);

      const beyond = await portal.get(`${dirPath}/users?page=9`);
      assert.equal(beyond.status, 200);
      assert.match(textOf(beyond.body), /There is nothing on page 9/);
    });

    test('search finds users by email, userName or externalId, any case, and paging keeps the search', async () => {
      const grace = await client.post(
        '/Users',
        oktaUser('ghopper', { emails: [{ primary: true, value: 'Grace.Hopper@Navy.example', type: 'work' }], displayName: 'Grace Hopper', externalId: '00ugrace' }),
      );
      assert.equal(grace.status, 201, grace.text);

      for (const q of ['hopper@navy', 'GHOP', '00ugrace', 'grace h']) {
        const found = await portal.get(`${dirPath}/users?q=${encodeURIComponent(q)}`);
        assert.equal(found.status, 200, found.body);
        assert.deepEqual(linkedUserIds(found.body, `${dirPath}/users`), [grace.body.id], `search ${q}`);
        assert.match(textOf(found.body), /Showing 1–1 of 1 user\b/);
        assert.match(found.body, new RegExp(`<input id="q" type="search" name="q" value="${q}"`));
      }
      // externalId matches exactly, not in part.
      const partial = await portal.get(`${dirPath}/users?q=00ugra`);
      assert.deepEqual(linkedUserIds(partial.body, `${dirPath}/users`), []);
      assert.match(textOf(partial.body), /No user matches “00ugra”/);

      // 55 users match "@acme.example": two pages, the Next link keeps q, no duplicates.
      const first = await portal.get(`${dirPath}/users?q=%40ACME.example`);
      assert.match(textOf(first.body), /Showing 1–50 of 55 users/);
      assert.match(first.body, new RegExp(`href="${dirPath}/users\\?q=%40ACME.example&amp;page=2" rel="next"`));
      const second = await portal.get(`${dirPath}/users?q=%40ACME.example&page=2`);
      assert.match(textOf(second.body), /Showing 51–55 of 55 users/);
      assert.match(second.body, new RegExp(`href="${dirPath}/users\\?q=%40ACME.example" rel="prev"`));
      const ids = [...linkedUserIds(first.body, `${dirPath}/users`), ...linkedUserIds(second.body, `${dirPath}/users`)];
      assert.equal(new Set(ids).size, 55);
      assert.ok(!ids.includes(grace.body.id));
    });

    test("a user's page shows attributes, groups, and a history naming the PATCH that deactivated the user", async () => {
      const created = await client.post(
        '/Users',
        oktaUser('ada@acme.example', {
          schemas: [USER_URN, ENTERPRISE_URN],
          title: 'Engineer',
          phoneNumbers: [{ value: '+1 555 0100', type: 'work', primary: true }],
          [ENTERPRISE_URN]: { department: 'Platform', employeeNumber: 'E-1001', manager: { value: people[0]!.id, displayName: 'Person Zero' } },
        }),
      );
      assert.equal(created.status, 201, created.text);
      const userId: string = created.body.id;
      const promoted = await client.patch(`/Users/${userId}`, patchOp({ op: 'replace', value: { title: 'Staff Engineer' } }));
      assert.equal(promoted.status, 200, promoted.text);
      // An attribute outside the normalized view: the change is told from the raw resources.
      const relocated = await client.patch(`/Users/${userId}`, patchOp({ op: 'replace', path: 'locale', value: 'fr-FR' }));
      assert.equal(relocated.status, 200, relocated.text);
      const group = await client.post('/Groups', oktaGroup('Platform Team', []));
      assert.equal(group.status, 201, group.text);
      const pushed = await client.patch(`/Groups/${group.body.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: userId, display: 'ada@acme.example' }] }));
      assert.equal(pushed.status, 204, pushed.text);
      const deactivated = await client.patch(`/Users/${userId}`, DEACTIVATE);
      assert.equal(deactivated.status, 200, deactivated.text);

      const page = await portal.get(`${dirPath}/users/${userId}`);
      assert.equal(page.status, 200, page.body);
      const text = textOf(page.body);
      // Attributes of the normalized view.
      for (const expected of ['ada Tester', 'ada@acme.example', '+1 555 0100 (work)', 'Staff Engineer', 'Platform', 'E-1001', 'Deactivated']) {
        assert.ok(text.includes(expected), `the page shows ${expected}`);
      }
      assert.match(page.body, new RegExp(`<a href="${dirPath}/users/${people[0]!.id}">Person Zero</a>`), 'the manager links to their page');
      // Groups link to the group page.
      assert.match(page.body, new RegExp(`<a href="${dirPath}/groups/${group.body.id}">Platform Team</a>`));
      // The raw resource as Okta sent it, without the password (never stored).
      assert.match(page.body, /<details class="raw"><summary>SCIM resource as Okta sent it<\/summary><pre>/);
      assert.ok(!page.body.includes('Sup3r-secret!'));

      // History: newest first, each with its request.
      const rows = historyRows(page.body);
      const base = new URL(client.baseUrl).pathname;
      const logLink = `href="${dirPath}/log?q=${userId}"`;
      assert.deepEqual(
        rows.map((r) => textOf(r).replace(/ just now$| \d+ seconds? ago$/, '')).map((t) => t.replace(/^just now /, '')),
        [
          `Deactivated PATCH ${base}/Users/${userId} → 200 from ${ipIn(rows[0]!)}`,
          `Added to group Platform Team PATCH ${base}/Groups/${group.body.id} → 204 from ${ipIn(rows[1]!)}`,
          `Updated: locale en-US → fr-FR PATCH ${base}/Users/${userId} → 200 from ${ipIn(rows[2]!)}`,
          `Updated: title Engineer → Staff Engineer PATCH ${base}/Users/${userId} → 200 from ${ipIn(rows[3]!)}`,
          `Created POST ${base}/Users → 201 from ${ipIn(rows[4]!)}`,
        ],
      );
      assert.ok(rows.every((r) => r.includes(logLink)), 'each request links to the request log filtered by the user');
      assert.match(rows[1]!, new RegExp(`<a href="${dirPath}/groups/${group.body.id}">Platform Team</a>`));
      assert.match(rows[3]!, /title <span class="diff-remove">Engineer<\/span> → <span class="diff-add">Staff Engineer<\/span>/);
    });

    test('IdP-controlled values are escaped on the list, the user page and the group pages', async () => {
      const script = '<script>alert(1)</script>';
      const img = '"><img src=x onerror=alert(1)>';
      const created = await client.post('/Users', oktaUser('mallory@evil.example', { displayName: script, title: img, name: { givenName: img, familyName: script } }));
      assert.equal(created.status, 201, created.text);
      const group = await client.post('/Groups', oktaGroup(`${script}${img}`, [{ value: created.body.id, display: script }]));
      assert.equal(group.status, 201, group.text);

      const pages = await Promise.all([
        portal.get(`${dirPath}/users?q=mallory`),
        portal.get(`${dirPath}/users/${created.body.id}`),
        portal.get(`${dirPath}/groups?q=${encodeURIComponent('<script>')}`),
        portal.get(`${dirPath}/groups/${group.body.id}`),
      ]);
      for (const page of pages) {
        assert.equal(page.status, 200, page.body);
        assert.ok(!page.body.includes(script), 'no raw <script> markup');
        assert.ok(!page.body.includes('<img src=x'), 'no raw <img> markup');
        assert.ok(!page.body.includes('"><img'), 'no attribute break-out');
        assert.ok(page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the display name shows as text');
      }
      assert.ok(pages[1]!.body.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'), 'the title shows as text');
      assert.ok(pages[3]!.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'), 'the group name shows as text');
      // The search box echoes the query escaped too.
      const echoed = await portal.get(`${dirPath}/users?q=${encodeURIComponent(img)}`);
      assert.ok(!echoed.body.includes('<img src=x'));
      assert.ok(echoed.body.includes('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"'));
    });

    test("a user or group of another directory is 404 under this directory's URL; deleted users stay readable", async () => {
      const admin = server.server.scimitar.admin;
      const sibling = await admin.createDirectory({ organizationId, provider: 'okta', name: 'Second connection' });
      const siblingClient = new ScimClient(`${server.url}${new URL(sibling.scimBaseUrl).pathname}`, sibling.token);
      const stranger = await siblingClient.post('/Users', oktaUser('stranger@acme.example'));
      assert.equal(stranger.status, 201, stranger.text);
      const strangerGroup = await siblingClient.post('/Groups', oktaGroup('Elsewhere'));
      assert.equal(strangerGroup.status, 201, strangerGroup.text);

      const wrongDir = await portal.get(`${dirPath}/users/${stranger.body.id}`);
      assert.equal(wrongDir.status, 404);
      assert.match(textOf(wrongDir.body), /User not found There is no user with the id/);
      assert.ok(!wrongDir.body.includes('stranger@acme.example'));
      const wrongGroup = await portal.get(`${dirPath}/groups/${strangerGroup.body.id}`);
      assert.equal(wrongGroup.status, 404);
      assert.ok(!wrongGroup.body.includes('Elsewhere'));
      // Under its own directory it is found.
      const own = await portal.get(`/portal/o/${organizationId}/d/${sibling.directory.id}/users/${stranger.body.id}`);
      assert.equal(own.status, 200, own.body);

      // Another organization's directory is not reachable with this session at all.
      const other = await server.newDirectory('okta');
      const foreign = await other.client.post('/Users', oktaUser('foreign@other.example'));
      assert.equal((await portal.get(`/portal/o/${other.organizationId}/d/${other.directoryId}/users/${foreign.body.id}`)).status, 404);
      assert.equal((await portal.get(`/portal/o/${organizationId}/d/${other.directoryId}/users/${foreign.body.id}`)).status, 404);

      // A deleted user: no longer listed, still readable with its history.
      const leaver = await client.post('/Users', oktaUser('leaver@acme.example'));
      assert.equal((await client.delete(`/Users/${leaver.body.id}`)).status, 204);
      const list = await portal.get(`${dirPath}/users?q=leaver`);
      assert.deepEqual(linkedUserIds(list.body, `${dirPath}/users`), []);
      const gone = await portal.get(`${dirPath}/users/${leaver.body.id}`);
      assert.equal(gone.status, 200, gone.body);
      const rows = historyRows(gone.body).map(textOf);
      assert.match(rows[0]!, /^just now Deleted DELETE .*\/Users\/.* → 204 from /);
      assert.match(textOf(gone.body), /Okta deleted this user/);
    });

    test('groups are searchable with member counts; a group page lists its members and the roles it grants', async () => {
      await server.server.scimitar.admin.updateDirectorySettings({ directoryId, settings: { roles: { prefix: 'App_', mappings: [{ group: 'Engineering', role: 'Developer' }] } } });
      const admins = await client.post('/Groups', oktaGroup('App_Admin', people.slice(0, 2).map((p) => ({ value: p.id, display: p.userName }))));
      assert.equal(admins.status, 201, admins.text);

      const list = await portal.get(`${dirPath}/groups?q=ENGIN`);
      assert.equal(list.status, 200, list.body);
      const text = textOf(list.body);
      assert.match(text, /Showing 1–1 of 1 group\b/);
      assert.match(text, /Engineering 3 Developer/);
      const all = await portal.get(`${dirPath}/groups`);
      assert.match(textOf(all.body), /App_Admin 2 Admin/);

      const page = await portal.get(`${dirPath}/groups/${admins.body.id}`);
      assert.equal(page.status, 200, page.body);
      assert.match(textOf(page.body), /Every member has the role Admin/);
      assert.deepEqual(linkedUserIds(page.body, `${dirPath}/users`).sort(), people.slice(0, 2).map((p) => p.id).sort());

      // The user's page and the list show the role now.
      const member = await portal.get(`${dirPath}/users/${people[0]!.id}`);
      assert.match(textOf(member.body), /Roles Admin Developer/);
      assert.match(textOf(member.body), /Role granted: Admin/);
      const users = await portal.get(`${dirPath}/users?q=person00`);
      assert.match(textOf(users.body), /Active 2 Admin, Developer/);
    });
  });
}

for (const { name, skip } of await dialects()) {
  describe(`portal users and groups pages query count on ${name}`, { skip }, () => {
    let counted: CountedServer;

    before(async () => {
      counted = await startCountedServer(name);
    });
    after(() => counted?.close());

    test('a page costs the same few queries for 5 rows as for 50 (groups, roles and member counts batched)', async () => {
      const url = counted.url;
      const org = await counted.scimitar.admin.createOrganization({ name: 'Counted' });
      const created = await counted.scimitar.admin.createDirectory({ organizationId: org.id, provider: 'okta' });
      await counted.scimitar.admin.updateDirectorySettings({ directoryId: created.directory.id, settings: { roles: { prefix: 'App_', mappings: [] } } });
      const scim = new ScimClient(`${url}${new URL(created.scimBaseUrl).pathname}`, created.token);
      const managed = () => ({ schemas: [USER_URN, ENTERPRISE_URN], [ENTERPRISE_URN]: { manager: { value: '00uboss' } } });
      const [boss] = await createUsers(scim, ['boss@acme.example'], 1, () => ({ externalId: '00uboss' }));
      const small = await createUsers(scim, Array.from({ length: 5 }, (_, i) => `small${i}@acme.example`), 10, managed);
      const big = await createUsers(scim, Array.from({ length: 50 }, (_, i) => `big${i}@acme.example`), 10, managed);
      const [loner] = await createUsers(scim, ['loner@acme.example'], 1, managed);
      const groups: Record<string, string> = {};
      for (const [groupName, members] of [['App_Few', small], ['App_Many', big], ['Everyone', [...small, ...big]]] as const) {
        const group = await scim.post('/Groups', oktaGroup(groupName, members.map((m) => ({ value: m.id, display: m.userName }))));
        assert.equal(group.status, 201, group.text);
        groups[groupName] = group.body.id;
      }
      // The SCIM request log is written in the background: write it now so it is not counted.
      await counted.scimitar.admin.requestLog({ directoryId: created.directory.id, limit: 1 });
      const portal = await signIn({ url, scimitar: counted.scimitar }, org.id);
      const dir = `/portal/o/${org.id}/d/${created.directory.id}`;
      /** Queries of one GET of `path`, which must link to `links` user pages. */
      const cost = async (path: string, links: number) => {
        const warm = await portal.get(path); // writes the buffered SCIM request log: not counted
        assert.equal(warm.status, 200, warm.body);
        counted.queries = 0;
        const page = await portal.get(path);
        const spent = counted.queries;
        assert.equal(page.status, 200, page.body);
        assert.equal(linkedUserIds(page.body, `${dir}/users`).length, links, path);
        return spent;
      };
      const usersSmall = await cost(`${dir}/users?q=small`, 5);
      const usersBig = await cost(`${dir}/users?q=big`, 50);
      // A full page also counts the matches (a page that is not full tells its total): one COUNT, not one query per row.
      assert.ok(usersBig === usersSmall || usersBig === usersSmall + 1, `users list: ${usersBig} queries for 50 rows vs ${usersSmall} for 5`);
      assert.ok(usersBig <= 10, `${usersBig} queries for a users page`);
      const groupSmall = await cost(`${dir}/groups/${groups['App_Few']}`, 5);
      const groupBig = await cost(`${dir}/groups/${groups['App_Many']}`, 50);
      assert.equal(groupBig, groupSmall, `group page: ${groupBig} queries for 50 members vs ${groupSmall} for 5`);
      assert.ok(groupSmall <= 10, `${groupSmall} queries for a group page`);
      const groupsList = await cost(`${dir}/groups?q=app_`, 0);
      const groupsAll = await cost(`${dir}/groups`, 0);
      assert.equal(groupsAll, groupsList, `groups list: ${groupsAll} queries for 3 rows vs ${groupsList} for 2`);
      // Two groups, two roles and a longer history cost no more than none of them.
      const userAlone = await cost(`${dir}/users/${loner!.id}`, 1);
      const userBusy = await cost(`${dir}/users/${big[1]!.id}`, 1);
      assert.equal(userBusy, userAlone, `user page: ${userBusy} vs ${userAlone} queries`);
      assert.ok(userBusy <= 10, `${userBusy} queries for a user page`);
      assert.ok(boss);
    });
  });
}

/** The client address a history row names (IPv4 or IPv6-mapped loopback). */
function ipIn(row: string): string {
  return textOf(row).match(/ from (\S+)/)?.[1] ?? '(none)';
}
