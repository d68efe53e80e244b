/**
 * The portal's security properties, over real HTTP on both databases: single-use, expiring
 * setup links; anti-forgery tokens on every form; one organization's session never reaching
 * another organization's pages or the REST API; cookies and headers a browser enforces.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/databases.js';
import { PortalClient, startPortalApp, type PortalApp } from '../support/portal.js';
import { oktaUser } from '../support/scim-client.js';
import { redactPath } from '../../src/portal/handler.js';

class SettableClock {
  offsetMs = 0;
  now = () => new Date(Date.now() + this.offsetMs);
}

for (const dialect of await dialects()) {
  describe(`portal security (${dialect.name})`, { skip: dialect.skip }, () => {
    const clock = new SettableClock();
    let app: PortalApp;
    let orgA: string;
    let orgB: string;
    let dirA: string;
    let dirB: string;
    let tokenB: string;

    before(async () => {
      app = await startPortalApp(dialect.name, { clock });
      orgA = (await app.scimitar.admin.createOrganization({ name: 'Org A' })).id;
      orgB = (await app.scimitar.admin.createOrganization({ name: 'Org B' })).id;
      dirA = (await app.scimitar.admin.createDirectory({ organizationId: orgA, provider: 'okta' })).directory.id;
      const b = await app.scimitar.admin.createDirectory({ organizationId: orgB, provider: 'okta' });
      dirB = b.directory.id;
      tokenB = b.token;
    });
    after(() => app?.close());

    const sessionFor = async (organizationId: string): Promise<PortalClient> => {
      const client = new PortalClient(app.url);
      const link = await app.scimitar.admin.createPortalLink({ organizationId });
      const opened = await client.openSetupLink(link.url);
      assert.equal(opened.status, 303);
      return client;
    };

    test('a setup link works once: the second opening is refused and opens no session', async () => {
      const link = await app.scimitar.admin.createPortalLink({ organizationId: orgA });
      const first = new PortalClient(app.url);
      assert.equal((await first.openSetupLink(link.url)).location, `/portal/o/${orgA}`);
      assert.ok(first.cookie('scimitar_session'));

      const second = new PortalClient(app.url);
      const again = await second.openSetupLink(link.url);
      assert.equal(again.status, 410);
      assert.match(again.html, /already been used/);
      assert.equal(second.cookie('scimitar_session'), undefined);
    });

    test('two browsers racing to open one link: exactly one gets a session', async () => {
      const link = await app.scimitar.admin.createPortalLink({ organizationId: orgA });
      const clients = [new PortalClient(app.url), new PortalClient(app.url), new PortalClient(app.url)];
      for (const c of clients) await c.get(link.url);
      const results = await Promise.all(clients.map((c) => c.post(link.url, { _csrf: c.csrf })));
      assert.deepEqual(results.map((r) => r.status).sort(), [303, 410, 410]);
    });

    test('an expired setup link is refused, before and after the landing page', async () => {
      const link = await app.scimitar.admin.createPortalLink({ organizationId: orgA, expiresInMs: 5 * 60_000 });
      const client = new PortalClient(app.url);
      assert.equal((await client.get(link.url)).status, 200);
      clock.offsetMs = 6 * 60_000;
      try {
        const posted = await client.post(link.url, { _csrf: client.csrf });
        assert.equal(posted.status, 410);
        assert.match(posted.html, /expired/);
        assert.equal((await new PortalClient(app.url).get(link.url)).status, 410);
        assert.equal(client.cookie('scimitar_session'), undefined);
      } finally {
        clock.offsetMs = 0;
      }
    });

    test('a made-up or truncated link is 404, and the link token is kept out of logs', async () => {
      const link = await app.scimitar.admin.createPortalLink({ organizationId: orgA });
      assert.equal((await new PortalClient(app.url).get(link.url.slice(0, -4))).status, 404);
      assert.equal((await new PortalClient(app.url).get('/portal/link/nonsense')).status, 404);
      const path = new URL(link.url).pathname;
      assert.equal(redactPath(path), '/portal/link/[redacted]');
    });

    test('the session cookie is HttpOnly and SameSite, and only its hash is stored', async () => {
      const link = await app.scimitar.admin.createPortalLink({ organizationId: orgA });
      const client = new PortalClient(app.url);
      await client.get(link.url);
      const response = await fetch(link.url, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `scimitar_presession=${client.cookie('scimitar_presession')}` },
        body: new URLSearchParams({ _csrf: client.csrf }).toString(),
      });
      const cookie = response.headers.get('set-cookie') ?? '';
      assert.match(cookie, /^scimitar_session=scimitar_session_[\w-]+; Path=\/portal; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
      const secret = /^scimitar_session=([^;]+)/.exec(cookie)![1]!;
      const rows = await app.scimitar.store.portal.findSession(secret, new Date().toISOString());
      assert.equal(rows, undefined, 'the cookie value itself is not a key in the store');
    });

    test('cookies are Secure when the portal is served over https', async () => {
      const https = await startPortalApp(dialect.name, { publicUrl: 'https://idp.example.com' });
      try {
        const org = await https.scimitar.admin.createOrganization({ name: 'Secure Org' });
        const link = await https.scimitar.admin.createPortalLink({ organizationId: org.id });
        const landing = await fetch(`${https.url}${new URL(link.url).pathname}`);
        assert.match(landing.headers.get('set-cookie') ?? '', /; Secure/);
      } finally {
        await https.close();
      }
    });

    test('every portal page carries a strict Content-Security-Policy and no-store', async () => {
      const client = await sessionFor(orgA);
      const page = await client.get(`/portal/o/${orgA}/d/${dirA}`);
      assert.equal(page.status, 200);
      const csp = page.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
      assert.equal(page.headers.get('cache-control'), 'no-store');
      assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
      assert.doesNotMatch(page.html, /<script(?![^>]*\bsrc="\/portal\/assets\/)/, 'no inline script');
      assert.doesNotMatch(page.html, /https?:\/\/(?!127\.0\.0\.1)/, 'no asset from another host');
      assert.doesNotMatch(page.html, /\sstyle="/, 'no inline style (the policy would block it)');
    });

    test('a form posted without the anti-forgery token, with a wrong one, or from another site changes nothing', async () => {
      const client = await sessionFor(orgA);
      await client.get(`/portal/o/${orgA}/d/${dirA}`);
      const action = `/portal/o/${orgA}/d/${dirA}/status`;
      assert.equal((await client.post(action, { status: 'inactive' })).status, 403);
      assert.equal((await client.post(action, { status: 'inactive', _csrf: 'x'.repeat(client.csrf.length) })).status, 403);
      assert.equal((await client.post(action, { status: 'inactive', _csrf: client.csrf }, { 'sec-fetch-site': 'cross-site' })).status, 403);
      assert.equal((await app.scimitar.store.directories.findById(dirA))?.status, 'active');
      // The same form with the token works: the checks above failed for the right reason.
      assert.equal((await client.post(action, { status: 'inactive', _csrf: client.csrf })).status, 303);
      assert.equal((await app.scimitar.store.directories.findById(dirA))?.status, 'inactive');
      await client.post(action, { status: 'active', _csrf: client.csrf });
    });

    test("one organization's session cannot reach another's pages by changing an id", async () => {
      const client = await sessionFor(orgA);
      const okta = app.scimClient(dirB, tokenB);
      const user = await okta.post('/Users', oktaUser('secret.person@org-b.example'));
      assert.equal(user.status, 201);
      const paths = [
        `/portal/o/${orgB}`,
        `/portal/o/${orgB}/d/${dirB}`,
        `/portal/o/${orgA}/d/${dirB}`,
        `/portal/o/${orgA}/d/${dirB}/users`,
        `/portal/o/${orgA}/d/${dirB}/users/${user.body.id}`,
        `/portal/o/${orgA}/d/${dirA}/users/${user.body.id}`,
        `/portal/o/${orgB}/d/${dirB}/log`,
        `/portal/o/${orgA}/d/${dirB}/credentials`,
        '/portal/console',
      ];
      for (const path of paths) {
        const page = await client.get(path);
        assert.equal(page.status, 404, path);
        assert.doesNotMatch(page.html, /secret\.person/, path);
      }
      const writes = [`/portal/o/${orgA}/d/${dirB}/status`, `/portal/o/${orgB}/d/${dirB}/status`, `/portal/o/${orgB}/d/${dirB}/credentials/rotate`, `/portal/o/${orgB}/links`];
      for (const path of writes) assert.equal((await client.post(path, { status: 'inactive', _csrf: client.csrf })).status, 404, path);
      assert.equal((await app.scimitar.store.directories.findById(dirB))?.status, 'active');
      assert.equal((await okta.get('/Users')).status, 200, "org B's token was not rotated away");
    });

    test('the portal session does not authenticate the REST API', async () => {
      const client = await sessionFor(orgA);
      const api = await client.get(`/api/v1/organizations/${orgA}/directories`);
      assert.equal(api.status, 401);
    });

    test('signing out ends the session on the server', async () => {
      const client = await sessionFor(orgA);
      const secret = client.cookie('scimitar_session')!;
      await client.get(`/portal/o/${orgA}`);
      assert.equal((await client.post('/portal/logout', { _csrf: client.csrf })).status, 303);
      const replay = await fetch(`${app.url}/portal/o/${orgA}`, { headers: { cookie: `scimitar_session=${secret}` }, redirect: 'manual' });
      assert.equal(replay.status, 401);
    });

    test('a session expires after its lifetime', async () => {
      const client = await sessionFor(orgA);
      assert.equal((await client.get(`/portal/o/${orgA}`)).status, 200);
      clock.offsetMs = 13 * 3_600_000;
      try {
        assert.equal((await client.get(`/portal/o/${orgA}`)).status, 401);
      } finally {
        clock.offsetMs = 0;
      }
    });

    test('attributes Okta may send are rendered inert wherever they appear', async () => {
      const a = await app.scimitar.admin.createDirectory({ organizationId: orgA, provider: 'okta' });
      const okta = app.scimClient(a.directory.id, a.token);
      const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'';
      const created = await okta.post('/Users', oktaUser('xss@org-a.example', { displayName: hostile, title: hostile, name: { givenName: hostile, familyName: '"><svg onload=alert(3)>' } }));
      assert.equal(created.status, 201);
      await okta.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: hostile });
      const client = await sessionFor(orgA);
      for (const path of [`/users`, `/users/${created.body.id}`, `/log`, `/log?errors=1`]) {
        const page = await client.get(`/portal/o/${orgA}/d/${a.directory.id}${path}`);
        assert.equal(page.status, 200, path);
        assert.doesNotMatch(page.html, /<script>alert|<img src=x|<svg onload/, path);
      }
      const users = await client.get(`/portal/o/${orgA}/d/${a.directory.id}/users`);
      assert.match(users.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    });
  });
}
