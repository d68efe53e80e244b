/**
 * The portal's Request log and Mapping screens over real HTTP, on both databases: Okta-shaped
 * SCIM traffic, then the pages an IT administrator reads with a setup-link session. The log
 * explains failures and filters and pages without repeats; the mapping form previews without
 * saving, saves with role events, refuses a form without the anti-forgery token, and shows a
 * validation error with the input kept.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { oktaUser, type ScimClient } from '../support/scim-client.js';
import { oktaGroup, userNameLookup } from '../conformance/okta/okta.js';
import { visibleText as text } from '../support/portal.js';

/** A signed-in browser: the session cookie and the page's anti-forgery token. */
interface Session {
  get(path: string): Promise<Page>;
  /** Posts a form; `_csrf` is added unless the form names it (or `withoutCsrf`). */
  post(path: string, form: [string, string][] | Record<string, string>, options?: { withoutCsrf?: boolean }): Promise<Page>;
}

interface Page {
  status: number;
  location: string | null;
  html: string;
}

const cookieOf = (response: Response, name: string): string | undefined => {
  for (const line of response.headers.getSetCookie()) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(line);
    if (m) return m[1];
  }
  return undefined;
};

/** Opens a setup link like the IT administrator: GET the link, POST it back with the pre-session token. */
async function openSession(server: TestServer, organizationId: string): Promise<Session> {
  const link = await server.server.scimitar.admin.createPortalLink({ organizationId });
  // The test server's public URL has no port: keep the link's path, send it to the real address.
  const linkUrl = server.url + new URL(link.url).pathname;
  const landing = await fetch(linkUrl, { redirect: 'manual' });
  assert.equal(landing.status, 200, 'the setup link landing page');
  await landing.text();
  const presession = cookieOf(landing, 'scimitar_presession');
  assert.ok(presession, 'the landing page sets scimitar_presession');
  const redeemed = await fetch(linkUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `scimitar_presession=${presession}` },
    body: new URLSearchParams({ _csrf: presession }).toString(),
  });
  assert.equal(redeemed.status, 303, 'redeeming the link');
  await redeemed.text();
  const secret = cookieOf(redeemed, 'scimitar_session');
  assert.ok(secret, 'the redirect sets scimitar_session');
  const cookie = `scimitar_session=${secret}`;
  let csrf = '';
  const read = async (response: Response): Promise<Page> => {
    const html = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html);
    if (token) csrf = token[1]!;
    return { status: response.status, location: response.headers.get('location'), html };
  };
  const session: Session = {
    get: async (path) => read(await fetch(server.url + path, { redirect: 'manual', headers: { cookie } })),
    async post(path, form, options = {}) {
      const body = new URLSearchParams(Array.isArray(form) ? form : Object.entries(form));
      if (!options.withoutCsrf && !body.has('_csrf')) body.set('_csrf', csrf);
      return read(await fetch(server.url + path, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() }));
    },
  };
  const home = await session.get(`/portal/o/${organizationId}`);
  assert.equal(home.status, 200, 'the organization home');
  assert.ok(csrf, 'the page carries the session anti-forgery token');
  return session;
}


const decode = (value: string) => value.replace(/&amp;/g, '&').replace(/&quot;/g, '"');

/** The log rows of a page: entry id and method, in page order. */
function logRows(html: string): { id: string; method: string }[] {
  return [...html.matchAll(/<tr class="log-row[^"]*" id="req-([^"]+)">\s*<td>.*?<\/td>\s*<td class="mono">([A-Z]+)<\/td>/gs)].map((m) => ({ id: m[1]!, method: m[2]! }));
}

/** The "Older" link of a log page, if any. */
const olderLink = (html: string): string | undefined => {
  const m = /<a href="([^"]+)" rel="next">Older<\/a>/.exec(html);
  return m ? decode(m[1]!) : undefined;
};

for (const { name, skip } of await dialects()) {
  describe(`request log and mapping pages on ${name}`, { skip }, () => {
    let server: TestServer;

    before(async () => {
      server = await startTestServer(name);
    });
    after(async () => server?.close());

    describe('request log', () => {
      let d: { directoryId: string; organizationId: string; client: ScimClient };
      let session: Session;
      let logPath: string;
      let annId: string;
      const status: Record<string, number> = {};

      before(async () => {
        d = await server.newDirectory('okta');
        session = await openSession(server, d.organizationId);
        logPath = `/portal/o/${d.organizationId}/d/${d.directoryId}/log`;
        // Okta assigns Ann (lookup, create), then a second create of the same userName crossed
        // it (409), a profile PATCH, a lookup of Bob, and a request with a wrong token (401).
        status['lookup'] = (await d.client.get(userNameLookup('ann@example.com'))).status;
        const created = await d.client.post('/Users', oktaUser('ann@example.com'));
        status['create'] = created.status;
        annId = created.body.id;
        status['duplicate'] = (await d.client.post('/Users', oktaUser('ann@example.com'))).status;
        status['patch'] = (await d.client.patch(`/Users/${annId}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { displayName: 'Ann T' } }] })).status;
        status['bob'] = (await d.client.get(userNameLookup('bob@example.com'))).status;
        status['wrong token'] = (await d.client.withAuthorization('Bearer not-the-token').get('/Users')).status;
      });

      test('the SCIM traffic is what the page is expected to show', () => {
        assert.deepEqual(status, { lookup: 200, create: 201, duplicate: 409, patch: 200, bob: 200, 'wrong token': 401 });
      });

      test('errors only: the duplicate userName (409) and the wrong token (401), each explained with its fix', async () => {
        const page = await session.get(`${logPath}?errors=1`);
        assert.equal(page.status, 200);
        const rows = logRows(page.html);
        assert.deepEqual(rows.map((r) => r.method), ['GET', 'POST'], 'newest first: the 401 GET, then the 409 POST');
        const words = text(page.html);
        assert.match(words, /401 Unauthorized/);
        assert.match(words, /409 Conflict/);
        assert.doesNotMatch(words, /201 Created|200 OK/, 'successful requests are filtered out');
        // 409: explanation, Okta's fix, the app's detail quoted.
        assert.match(words, /What happened: Okta tried to create an account with the userName "ann@example\.com", but another account in this directory already has it/);
        assert.match(words, /Application username format/);
        assert.match(page.html, /<q>userName &quot;ann@example\.com&quot; is already taken in this directory<\/q>/);
        // 401: explanation and where the token goes in Okta.
        assert.match(words, /What happened: Okta sent a token that does not open this directory/);
        assert.match(words, /OAuth Bearer Token/);
        // The body as logged: the password is redacted, never shown.
        assert.match(page.html, /<details class="log-body"><summary>Request body/);
        assert.match(page.html, /&quot;password&quot;: &quot;\[redacted\]&quot;/);
        assert.doesNotMatch(page.html, /Sup3r-secret!/);
        // The filter form shows what is applied.
        assert.match(page.html, /<input type="checkbox" id="log-errors" name="errors" value="1" checked>/);
        // The connection health sentence at the top: the last request failed.
        assert.match(words, /Failing 2 errors in the last hour; last request just now from 127\.0\.0\.1 failed \(401\)/);
      });

      test('every request, newest first, with method, path, query, status, duration and client IP', async () => {
        const page = await session.get(logPath);
        assert.equal(page.status, 200);
        assert.deepEqual(logRows(page.html).map((r) => r.method), ['GET', 'GET', 'PATCH', 'POST', 'POST', 'GET']);
        const words = text(page.html);
        assert.match(words, /\/Users ?\?filter=userName eq "bob@example\.com"&startIndex=1&count=100/, 'the query, decoded');
        assert.match(words, new RegExp(`/Users/${annId} 200 OK \\d+(\\.\\d)? ms 127\\.0\\.0\\.1`));
        assert.match(page.html, /aria-current="page">Request log</);
        assert.match(words, /No older requests\./);
      });

      test('the method filter and the user search', async () => {
        const patches = await session.get(`${logPath}?method=PATCH`);
        assert.deepEqual(logRows(patches.html).map((r) => r.method), ['PATCH']);
        assert.match(patches.html, /<option value="PATCH" selected>PATCH<\/option>/);

        // Ann's id finds the requests on her URL; her userName the bodies and the lookup filter.
        const byId = await session.get(`${logPath}?q=${encodeURIComponent(annId)}`);
        assert.deepEqual(logRows(byId.html).map((r) => r.method), ['PATCH']);
        assert.match(byId.html, new RegExp(`<input type="search" id="log-q" name="q" value="${annId}"`));
        const byName = await session.get(`${logPath}?q=ANN%40example.com`);
        assert.deepEqual(logRows(byName.html).map((r) => r.method), ['POST', 'POST', 'GET'], 'the two creates and the lookup, case-insensitively');
        const combined = await session.get(`${logPath}?q=ann%40example.com&method=POST&errors=1`);
        assert.deepEqual(logRows(combined.html).map((r) => r.method), ['POST']);

        const none = await session.get(`${logPath}?q=nobody%40example.com`);
        assert.equal(logRows(none.html).length, 0);
        assert.match(text(none.html), /No request matches these filters\./);
      });

      test('an empty log says so in words', async () => {
        const fresh = await server.newDirectory('okta');
        const other = await openSession(server, fresh.organizationId);
        const page = await other.get(`/portal/o/${fresh.organizationId}/d/${fresh.directoryId}/log`);
        assert.equal(page.status, 200);
        assert.match(text(page.html), /No request from Okta has arrived yet\./);
        assert.match(text(page.html), /Waiting for Okta/);
        // And another organization's session cannot read this directory's log.
        assert.equal((await other.get(logPath)).status, 404);
      });

      test('paging with before= walks every entry once, keeping the filters', async () => {
        for (let i = 0; i < 60; i++) assert.equal((await d.client.get(userNameLookup(`user${i}@example.com`))).status, 200);
        await server.server.scimitar.admin.requestLog({ directoryId: d.directoryId, limit: 1 });
        const expected = (await server.server.scimitar.store.requestLog.list(d.directoryId, { limit: 1000 })).map((e) => e.id);
        const expectedGets = (await server.server.scimitar.store.requestLog.list(d.directoryId, { method: 'GET', limit: 1000 })).map((e) => e.id);
        assert.equal(expected.length, 66);

        for (const [query, want] of [['', expected], ['?method=GET', expectedGets]] as const) {
          const seen: string[] = [];
          let next: string | undefined = logPath + query;
          let pages = 0;
          while (next) {
            const page = await session.get(next);
            assert.equal(page.status, 200);
            const rows = logRows(page.html);
            assert.ok(rows.length <= 50, 'at most 50 a page');
            if (query) assert.ok(rows.every((r) => r.method === 'GET'), 'the filter holds on every page');
            seen.push(...rows.map((r) => r.id));
            next = olderLink(page.html);
            if (next && query) assert.match(next, /[?&]method=GET(&|$)/, 'the Older link keeps the filter');
            pages++;
          }
          assert.equal(pages, 2);
          assert.equal(new Set(seen).size, seen.length, 'no entry twice');
          assert.deepEqual(seen, want, 'every entry, newest first');
        }
      });
    });

    describe('mapping', () => {
      let d: { directoryId: string; organizationId: string; client: ScimClient };
      let session: Session;
      let mappingPath: string;
      const users: Record<string, string> = {};

      const store = () => server.server.scimitar.store;
      const settings = () => server.server.scimitar.admin.getDirectorySettings({ directoryId: d.directoryId });
      const roles = async () => {
        const map = await store().roles.rolesOf(d.directoryId, Object.values(users));
        return Object.fromEntries(Object.entries(users).map(([userName, id]) => [userName, map.get(id) ?? []]));
      };
      const noRoles = { 'ann@example.com': [], 'bob@example.com': [], 'cy@example.com': [] };

      before(async () => {
        d = await server.newDirectory('okta');
        session = await openSession(server, d.organizationId);
        mappingPath = `/portal/o/${d.organizationId}/d/${d.directoryId}/mapping`;
        for (const userName of ['ann@example.com', 'bob@example.com', 'cy@example.com']) {
          const res = await d.client.post('/Users', oktaUser(userName));
          assert.equal(res.status, 201, res.text);
          users[userName] = res.body.id;
        }
        const member = (userName: string) => ({ value: users[userName]!, display: userName });
        assert.equal((await d.client.post('/Groups', oktaGroup('Envi_Admin', [member('ann@example.com'), member('bob@example.com')]))).status, 201);
        assert.equal((await d.client.post('/Groups', oktaGroup('Sales', [member('cy@example.com')]))).status, 201);
      });

      test('the form shows the current rules, three empty rows and both buttons', async () => {
        const page = await session.get(mappingPath);
        assert.equal(page.status, 200);
        assert.match(page.html, /<input type="text" id="prefix" name="prefix" value=""/);
        assert.equal([...page.html.matchAll(/name="group\[\d+\]"/g)].length, 3);
        assert.match(page.html, /<label class="sr-only" for="role-2">Role, mapping 3<\/label>/);
        assert.match(page.html, /<input type="checkbox" id="department_groups" name="department_groups" value="1" aria-describedby="dept-hint">/);
        assert.match(page.html, /<button type="submit" name="action" value="preview"[^>]*>Preview changes<\/button>/);
        assert.match(page.html, /<button type="submit" name="action" value="save">Save<\/button>/);
        assert.match(page.html, /<option value="Envi_Admin"><\/option>/, 'the directory\'s groups are suggested');
        assert.match(text(page.html), /the user becomes a member of the group named “X”, which is created if it does not exist yet/);
      });

      test('a POST without the anti-forgery token is refused (403) and changes nothing', async () => {
        const before = await settings();
        const page = await session.post(mappingPath, { prefix: 'Envi_', action: 'save' }, { withoutCsrf: true });
        assert.equal(page.status, 403);
        assert.deepEqual(await settings(), before);
        assert.deepEqual(await roles(), noRoles);
        const forged = await session.post(mappingPath, { _csrf: 'forged', prefix: 'Envi_', action: 'save' });
        assert.equal(forged.status, 403);
        assert.deepEqual(await settings(), before);
      });

      test('preview lists who would gain "Admin" from "Envi_Admin" and saves nothing', async () => {
        const before = { settings: await settings(), events: await store().events.count(d.directoryId) };
        const page = await session.post(mappingPath, { prefix: 'Envi_', 'group[0]': '', 'role[0]': '', action: 'preview' });
        assert.equal(page.status, 200);
        const words = text(page.html);
        assert.match(words, /Nothing has been saved yet\./);
        assert.match(words, /Gain a role \(2\) 2 roles for 2 people ann@example\.com gains Admin bob@example\.com gains Admin/);
        assert.match(words, /Lose a role \(0\) No one\./);
        assert.doesNotMatch(words, /cy@example\.com gains/);
        assert.match(page.html, /<input type="text" id="prefix" name="prefix" value="Envi_"/, 'the input is kept');
        assert.deepEqual(await settings(), before.settings, 'settings unchanged');
        assert.deepEqual(await roles(), noRoles, 'roles unchanged');
        assert.equal(await store().events.count(d.directoryId), before.events, 'no event written');
      });

      test('save grants the roles, with role events, and says how many', async () => {
        const page = await session.post(mappingPath, { prefix: 'Envi_', action: 'save' });
        assert.equal(page.status, 303);
        assert.equal(page.location, `${mappingPath}?done=saved&granted=2&revoked=0`);
        assert.deepEqual(await settings(), { roles: { prefix: 'Envi_', mappings: [] }, departmentGroups: { enabled: false } });
        assert.deepEqual(await roles(), { 'ann@example.com': ['Admin'], 'bob@example.com': ['Admin'], 'cy@example.com': [] });
        const granted = (await store().events.listAfter(d.directoryId, 0, 1000)).filter((e) => e.type === 'user.role_granted');
        assert.deepEqual(
          granted.map((e) => `${(e.data as { user: { userName: string } }).user.userName} ${(e.data as { role: string }).role}`).sort(),
          ['ann@example.com Admin', 'bob@example.com Admin'],
        );
        const after = await session.get(page.location!);
        assert.match(text(after.html), /Saved\. 2 roles were granted and 0 roles were revoked\./);
        assert.match(after.html, /<input type="text" id="prefix" name="prefix" value="Envi_"/);
      });

      test('mappings (indexed or repeated fields) and department groups are saved as the settings JSON', async () => {
        const indexed = await session.post(mappingPath, {
          prefix: 'Envi_',
          'group[0]': 'Sales',
          'role[0]': 'Seller',
          'group[1]': '',
          'role[1]': '',
          'group[2]': 'sales',
          'role[2]': 'Viewer',
          department_groups: '1',
          action: 'save',
        });
        assert.equal(indexed.status, 303);
        assert.equal(indexed.location, `${mappingPath}?done=saved&granted=2&revoked=0`);
        assert.deepEqual(await settings(), {
          roles: { prefix: 'Envi_', mappings: [{ group: 'Sales', role: 'Seller' }, { group: 'sales', role: 'Viewer' }] },
          departmentGroups: { enabled: true },
        });
        assert.deepEqual((await roles())['cy@example.com']!.sort(), ['Seller', 'Viewer']);
        const form = await session.get(mappingPath);
        assert.match(form.html, /name="group\[1\]" value="sales"/);
        assert.equal([...form.html.matchAll(/name="group\[\d+\]"/g)].length, 5, 'two mappings and three empty rows');
        assert.match(form.html, /name="department_groups" value="1" aria-describedby="dept-hint" checked>/);

        // Repeated fields; an empty prefix removes it (Ann and Bob lose Admin) and the box unchecked turns department groups off.
        const repeated = await session.post(mappingPath, [
          ['prefix', ''],
          ['group', 'Sales'],
          ['role', 'Seller'],
          ['group', ''],
          ['role', ''],
          ['action', 'preview'],
        ]);
        assert.equal(repeated.status, 200);
        const words = text(repeated.html);
        assert.match(words, /Gain a role \(0\)/);
        assert.match(words, /Lose a role \(3\) 3 roles from 3 people/);
        assert.match(words, /ann@example\.com loses Admin/);
        assert.match(words, /cy@example\.com loses Viewer/);
        assert.match(words, /Department groups would be turned off/);
        const saved = await session.post(mappingPath, [['prefix', ''], ['group', 'Sales'], ['role', 'Seller'], ['action', 'save']]);
        assert.equal(saved.location, `${mappingPath}?done=saved&granted=0&revoked=3`);
        assert.deepEqual(await settings(), { roles: { mappings: [{ group: 'Sales', role: 'Seller' }] }, departmentGroups: { enabled: false } });
        assert.deepEqual(await roles(), { 'ann@example.com': [], 'bob@example.com': [], 'cy@example.com': ['Seller'] });
      });

      test('a mapping without a role is refused with 400 and a message, the input kept, nothing saved', async () => {
        const before = { settings: await settings(), roles: await roles() };
        for (const action of ['save', 'preview']) {
          const page = await session.post(mappingPath, { prefix: 'Envi_', 'group[0]': 'Sales', 'role[0]': 'Seller', 'group[1]': 'Engineering', 'role[1]': '  ', action });
          assert.equal(page.status, 400, action);
          assert.match(text(page.html), /Not saved\. Mapping 2 \(group “Engineering”\): the role must not be empty\./);
          assert.match(page.html, /<div class="notice error" role="alert" id="form-error">/);
          assert.match(page.html, /<input type="text" id="prefix" name="prefix" value="Envi_"/);
          assert.match(page.html, /name="group\[1\]" value="Engineering"/);
          assert.match(page.html, /id="role-1" name="role\[1\]" value="  "[^>]*aria-invalid="true"/);
          assert.deepEqual(await settings(), before.settings);
          assert.deepEqual(await roles(), before.roles);
        }
      });
    });
  });
}
