/**
 * The developer console over real HTTP on loopback, on every dialect: signing in (anti-forgery
 * cookie, wrong password, throttling), the organization list and the create form, the 404 a
 * setup-link session gets on console pages, and the webhook pages: a failing receiver's dead
 * letters, "Redeliver" / "Redeliver all" and the enable switch. Delivery is driven with
 * deliverNow() and a fake clock (the backoff is skipped over, never waited for).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { Clock } from '../../src/domain/clock.js';
import { createScimitar, type Scimitar } from '../../src/runtime/create-scimitar.js';
import { createTestDatabase, dialects, type TestDatabase } from '../support/databases.js';
import { oktaUser } from '../support/scim-client.js';
import { createTestIdp } from '../support/saml-idp.js';
import { testKeys } from '../support/sso.js';
import { PortalClient, startPortalApp } from '../support/portal.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

class FakeClock implements Clock {
  #ms = Date.now();
  now(): Date {
    return new Date(this.#ms);
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
}

interface Reply {
  status: number;
  location: string | null;
  setCookies: string[];
  text: string;
}

/** A cookie-keeping client that does not follow redirects, so each 303 can be checked. */
class Browser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async request(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers['cookie'] = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(path.startsWith('http') ? path : `${this.base}${path}`, { method, headers, body: form ? new URLSearchParams(form).toString() : undefined, redirect: 'manual' });
    const setCookies = response.headers.getSetCookie();
    for (const cookie of setCookies) {
      const [pair] = cookie.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      if (/max-age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, pair!.slice(eq + 1));
    }
    return { status: response.status, location: response.headers.get('location'), setCookies, text: await response.text() };
  }
  get = (path: string) => this.request('GET', path);
  post = (path: string, form: Record<string, string>) => this.request('POST', path, form);

  /** The anti-forgery token the page's forms carry. */
  static csrf(reply: Reply): string {
    const match = /name="_csrf" value="([^"]+)"/.exec(reply.text);
    assert.ok(match, `the page has a form with _csrf (status ${reply.status})`);
    return match[1]!;
  }
}

const PASSWORD = 'correct horse battery staple';

async function signIn(browser: Browser, email: string, password: string): Promise<Reply> {
  const form = await browser.get('/portal/login');
  assert.equal(form.status, 200);
  const presession = browser.cookies.get('scimitar_presession');
  assert.ok(presession, 'GET /portal/login sets the scimitar_presession cookie');
  return browser.post('/portal/login', { email, password, _csrf: presession });
}

async function consoleBrowser(base: string, email: string): Promise<{ browser: Browser; csrf: string }> {
  const browser = new Browser(base);
  const reply = await signIn(browser, email, PASSWORD);
  assert.equal(reply.status, 303, reply.text);
  const page = await browser.get('/portal/console');
  assert.equal(page.status, 200);
  return { browser, csrf: Browser.csrf(page) };
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

for (const { name, skip } of await dialects()) {
  describe(`developer console on ${name}`, { skip }, () => {
    let database: TestDatabase;
    let scimitar: Scimitar;
    let http: Server;
    let base: string;
    let receiver: WebhookReceiver;
    const clock = new FakeClock();
    const email = 'dev@example.com';

    before(async () => {
      database = await createTestDatabase(name);
      let handler: Scimitar['node'] | undefined;
      http = createServer((req, res) => handler!(req, res));
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      const address = http.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      scimitar = await createScimitar({ database: database.url, publicUrl: base, clock, maintenance: false, delivery: { enabled: false } });
      handler = scimitar.node;
      await scimitar.admin.createAdminUser({ email, password: PASSWORD });
      receiver = await startWebhookReceiver();
    });
    after(async () => {
      await receiver?.close();
      http?.closeAllConnections();
      await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
      await scimitar?.close();
      await database?.drop();
    });

    /** An organization with an Okta directory; `users` users are provisioned through SCIM now, more with provision(). */
    async function tenant(orgName: string, users = 0): Promise<{ organizationId: string; directoryId: string; provision(count: number): Promise<void> }> {
      const org = await scimitar.admin.createOrganization({ name: orgName });
      const created = await scimitar.admin.createDirectory({ organizationId: org.id, provider: 'okta' });
      let provisioned = 0;
      const provision = async (count: number) => {
        for (let i = 0; i < count; i++) {
          const response = await scimitar.fetch(
            new Request(`${base}/scim/v2/${created.directory.id}/Users`, {
              method: 'POST',
              headers: { authorization: `Bearer ${created.token}`, 'content-type': 'application/scim+json' },
              body: JSON.stringify(oktaUser(`user${provisioned++}.${org.id}@example.com`)),
            }),
          );
          assert.equal(response.status, 201);
        }
      };
      await provision(users);
      return { organizationId: org.id, directoryId: created.directory.id, provision };
    }

    test('sign-in: the presession cookie echoed as _csrf opens a console session (303 to /portal/console)', async () => {
      const browser = new Browser(base);
      const reply = await signIn(browser, email, PASSWORD);
      assert.equal(reply.status, 303);
      assert.equal(reply.location, '/portal/console');
      assert.ok(reply.setCookies.some((c) => c.startsWith('scimitar_session=scimitar_session_') && /HttpOnly/.test(c) && /SameSite=Lax/.test(c)));
      const home = await browser.get('/portal/console');
      assert.equal(home.status, 200);
      assert.match(home.text, /<h1>Console<\/h1>/);
      assert.match(home.text, /Create an organization/);

      // Without the echoed token the sign-in form is refused.
      const forged = new Browser(base);
      await forged.get('/portal/login');
      const refused = await forged.post('/portal/login', { email, password: PASSWORD });
      assert.equal(refused.status, 403);
      assert.ok(!forged.cookies.has('scimitar_session'));
    });

    test('a wrong password gets the 401 sign-in page and no session; the 11th failure for an email gets 429', async () => {
      const locked = 'locked@example.com';
      await scimitar.admin.createAdminUser({ email: locked, password: PASSWORD });
      const browser = new Browser(base);
      for (let i = 1; i <= 10; i++) {
        const reply = await signIn(browser, locked, 'not the password');
        assert.equal(reply.status, 401, `attempt ${i}`);
        assert.match(reply.text, /the email or password is not correct/);
        assert.ok(!browser.cookies.has('scimitar_session'), 'no session after a failure');
      }
      const blocked = await signIn(browser, locked, PASSWORD);
      assert.equal(blocked.status, 429, 'blocked even with the right password');
      assert.match(blocked.text, /Too many failed attempts/);
      assert.ok(!browser.cookies.has('scimitar_session'));
      // Another email is not affected.
      assert.equal((await signIn(new Browser(base), email, PASSWORD)).status, 303);
    });

    test('the console lists organizations with their directories, user counts and health, escaped', async () => {
      const a = await tenant('Acme <b>Corp</b>', 2);
      const b = await tenant('Beta Ltd');
      const sso = await scimitar.sso.createConnection({ organizationId: a.organizationId, name: 'Okta <SSO>', metadataXml: createTestIdp({ key: testKeys().idp }).metadataXml() });
      const { browser } = await consoleBrowser(base, email);
      const page = await browser.get('/portal/console');
      assert.equal(page.status, 200);
      assert.ok(page.text.includes(escapeText('Acme <b>Corp</b>')), 'names are escaped');
      assert.ok(!page.text.includes('<b>Corp</b>'));
      assert.ok(page.text.includes(`href="/portal/o/${a.organizationId}"`));
      assert.ok(page.text.includes(`href="/portal/o/${b.organizationId}"`));
      assert.ok(page.text.includes(`href="/portal/o/${a.organizationId}/d/${a.directoryId}"`));
      const rowOf = (directoryId: string) => page.text.split('<tr>').find((row) => row.includes(directoryId)) ?? '';
      assert.match(rowOf(a.directoryId), /Okta/);
      assert.match(rowOf(a.directoryId), /<td class="num">2<\/td>/);
      assert.match(rowOf(a.directoryId), /badge ok">Connected/);
      assert.match(rowOf(b.directoryId), /<td class="num">0<\/td>/);
      assert.match(rowOf(b.directoryId), /Waiting for Okta/);
      assert.match(page.text, /href="\/portal\/console\/webhooks"/);
      // Single sign-on connections are listed with their organization, escaped.
      assert.ok(page.text.includes(`href="/portal/o/${a.organizationId}/sso/${sso.id}"`));
      assert.ok(page.text.includes(escapeText('Okta <SSO>')));
      assert.match(page.text, /Single sign-on: no SAML connection/);
    });

    test('creating an organization needs the anti-forgery token, then redirects to its page', async () => {
      const { browser, csrf } = await consoleBrowser(base, email);
      const before = (await scimitar.store.organizations.list()).length;

      const forged = await browser.post('/portal/console/organizations', { name: 'Forged Inc' });
      assert.equal(forged.status, 403);
      const wrong = await browser.post('/portal/console/organizations', { name: 'Forged Inc', _csrf: 'x'.repeat(csrf.length) });
      assert.equal(wrong.status, 403);
      assert.equal((await scimitar.store.organizations.list()).length, before, 'nothing created without the token');

      const blank = await browser.post('/portal/console/organizations', { name: '   ', _csrf: csrf });
      assert.equal(blank.status, 400);
      assert.match(blank.text, /not created: name must be 1 to 200 characters/);
      assert.equal((await scimitar.store.organizations.list()).length, before);

      const created = await browser.post('/portal/console/organizations', { name: 'Gamma GmbH', _csrf: csrf });
      assert.equal(created.status, 303);
      const match = /^\/portal\/o\/(org_\w+)\?done=created$/.exec(created.location ?? '');
      assert.ok(match, `redirects to the new organization: ${created.location}`);
      const org = await scimitar.store.organizations.findById(match[1]!);
      assert.equal(org?.name, 'Gamma GmbH');
      const orgPage = await browser.get(created.location!);
      assert.equal(orgPage.status, 200);
      assert.match(orgPage.text, /<h1>Gamma GmbH<\/h1>/);
      assert.match(orgPage.text, /Create setup link/);
      assert.ok((await browser.get('/portal/console')).text.includes('Gamma GmbH'));
    });

    test('a setup-link session gets 404 on every console page and cannot create organizations', async () => {
      const t = await tenant('Linked Co');
      const endpoint = (await scimitar.webhooks.create({ url: receiver.url, organizationId: t.organizationId })).endpoint;
      const link = await scimitar.admin.createPortalLink({ organizationId: t.organizationId });
      const browser = new Browser(base);
      const landing = await browser.get(link.url);
      assert.equal(landing.status, 200);
      const opened = await browser.post(link.url, { _csrf: browser.cookies.get('scimitar_presession')! });
      assert.equal(opened.status, 303);
      assert.equal(opened.location, `/portal/o/${t.organizationId}`);
      const orgPage = await browser.get(opened.location!);
      assert.equal(orgPage.status, 200, 'the session works for its organization');
      assert.doesNotMatch(orgPage.text, /href="\/portal\/console"/, 'no console link for a setup-link session');
      const csrf = Browser.csrf(orgPage);

      for (const path of ['/portal/console', '/portal/console/webhooks', `/portal/console/webhooks/${endpoint.id}`]) {
        const reply = await browser.get(path);
        assert.equal(reply.status, 404, path);
        assert.doesNotMatch(reply.text, /Linked Co<\/td>|Webhook endpoint/, `${path} shows nothing of the console`);
      }
      const before = (await scimitar.store.organizations.list()).length;
      assert.equal((await browser.post('/portal/console/organizations', { name: 'Sneaky', _csrf: csrf })).status, 404);
      assert.equal((await browser.post(`/portal/console/webhooks/${endpoint.id}/enabled`, { enabled: 'false', _csrf: csrf })).status, 404);
      assert.equal((await browser.post(`/portal/console/webhooks/${endpoint.id}/redeliver`, { all: '1', _csrf: csrf })).status, 404);
      assert.equal((await scimitar.store.organizations.list()).length, before);
      assert.equal((await scimitar.webhooks.get(endpoint.id)).enabled, true);
    });

    test('a failing receiver dead-letters events; Redeliver and Redeliver all queue them and the next delivery sends them', async () => {
      const failing = await startWebhookReceiver(() => 500);
      try {
        const t = await tenant('Hooked Inc');
        const { endpoint } = await scimitar.webhooks.create({ url: failing.url, organizationId: t.organizationId });
        // Two events: the first is retried until it is dead-lettered, then the second.
        await t.provision(2);
        for (let i = 0; i < 40 && (await scimitar.webhooks.deadLetters({ endpointId: endpoint.id })).length < 2; i++) {
          await scimitar.deliverNow();
          clock.advance(10 * 3_600_000);
        }
        const dead = await scimitar.webhooks.deadLetters({ endpointId: endpoint.id });
        assert.equal(dead.length, 2, 'both events were dead-lettered');
        const [second, first] = dead; // newest first

        const { browser, csrf } = await consoleBrowser(base, email);
        const list = await browser.get('/portal/console/webhooks');
        assert.equal(list.status, 200);
        const row = list.text.split('<tr>').find((r) => r.includes(endpoint.id)) ?? '';
        assert.ok(row.includes(failing.url), 'the URL is listed');
        assert.match(row, /Hooked Inc/);
        assert.match(row, /All events/);
        assert.match(row, /badge ok">Enabled/);
        assert.match(row, /badge bad">Failing/);
        assert.match(row, /HTTP 500: receiver says 500/);
        assert.match(row, /badge bad">2 dead/);
        assert.ok(row.includes(`href="/portal/console/webhooks/${endpoint.id}"`));

        const detail = await browser.get(`/portal/console/webhooks/${endpoint.id}`);
        assert.equal(detail.status, 200);
        assert.ok(detail.text.includes(first!.eventId) && detail.text.includes(second!.eventId));
        assert.match(detail.text, /Redeliver all \(2\)/);
        assert.equal(detail.text.match(/>Redeliver<\/button>/g)?.length, 2, 'one Redeliver button per dead letter');
        assert.match(detail.text, /Failed, dead-lettered/);

        // Redelivery without the token is refused and queues nothing.
        assert.equal((await browser.post(`/portal/console/webhooks/${endpoint.id}/redeliver`, { eventId: first!.eventId })).status, 403);
        assert.ok((await scimitar.webhooks.deadLetters({ endpointId: endpoint.id })).every((d) => d.redeliverRequestedAt === null));

        // The receiver is fixed; redeliver the first dead letter.
        failing.respond(() => 200);
        const one = await browser.post(`/portal/console/webhooks/${endpoint.id}/redeliver`, { eventId: first!.eventId, _csrf: csrf });
        assert.equal(one.status, 303);
        assert.equal(one.location, `/portal/console/webhooks/${endpoint.id}?done=queued&count=1`);
        const queuedPage = await browser.get(one.location!);
        assert.match(queuedPage.text, /Queued 1 event for redelivery/);
        assert.match(queuedPage.text, /badge warn">Queued/);
        assert.equal(await scimitar.deliverNow(), 1);
        const again = failing.received.at(-1)!;
        assert.deepEqual([again.id, again.status], [first!.eventId, 200], 'the same webhook-id, delivered');

        // "Redeliver all" queues what is still dead: the second event only.
        const all = await browser.post(`/portal/console/webhooks/${endpoint.id}/redeliver`, { all: '1', _csrf: csrf });
        assert.equal(all.location, `/portal/console/webhooks/${endpoint.id}?done=queued&count=1`);
        assert.equal(await scimitar.deliverNow(), 1);
        assert.deepEqual([failing.received.at(-1)!.id, failing.received.at(-1)!.status], [second!.eventId, 200]);

        const none = await browser.post(`/portal/console/webhooks/${endpoint.id}/redeliver`, { all: '1', _csrf: csrf });
        assert.equal(none.location, `/portal/console/webhooks/${endpoint.id}?done=queued&count=0`);
        const settled = await browser.get(none.location!);
        assert.match(settled.text, /Nothing to redeliver/);
        const [deadSection, attemptSection] = settled.text.split('id="attempts-h"');
        assert.equal(deadSection!.match(/badge ok">Redelivered/g)?.length, 2, 'both dead letters show as redelivered');
        assert.equal(attemptSection!.match(/badge ok">Redelivered/g)?.length, 2, 'and the attempts table has both redeliveries');
        assert.doesNotMatch(settled.text, /Redeliver all/);
        const listAfter = await browser.get('/portal/console/webhooks');
        const rowAfter = listAfter.text.split('<tr>').find((r) => r.includes(endpoint.id)) ?? '';
        assert.match(rowAfter, /badge ok">Delivering/);
        assert.doesNotMatch(rowAfter, /dead/);
      } finally {
        await failing.close();
      }
    });

    test('the enable switch disables and re-enables an endpoint; it needs the anti-forgery token', async () => {
      const { endpoint } = await scimitar.webhooks.create({ url: `${receiver.url}?switch=1` });
      const { browser, csrf } = await consoleBrowser(base, email);
      const path = `/portal/console/webhooks/${endpoint.id}/enabled`;
      assert.equal((await browser.post(path, { enabled: 'false' })).status, 403);
      assert.equal((await scimitar.webhooks.get(endpoint.id)).enabled, true);

      const off = await browser.post(path, { enabled: 'false', _csrf: csrf });
      assert.equal(off.status, 303);
      assert.equal(off.location, `/portal/console/webhooks/${endpoint.id}?done=disabled`);
      assert.equal((await scimitar.webhooks.get(endpoint.id)).enabled, false);
      const offPage = await browser.get(off.location!);
      assert.match(offPage.text, /This endpoint is <strong>Disabled<\/strong>/);
      assert.match(offPage.text, /aria-checked="false"/);
      assert.match(offPage.text, /<input type="hidden" name="enabled" value="true"><button[^>]*>Enable<\/button>/);
      const list = await browser.get('/portal/console/webhooks');
      const row = list.text.split('<tr>').find((r) => r.includes(endpoint.id)) ?? '';
      assert.match(row, /All organizations/);
      assert.match(row, /badge muted">Disabled/);

      const on = await browser.post(path, { enabled: 'true', _csrf: csrf });
      assert.equal(on.location, `/portal/console/webhooks/${endpoint.id}?done=enabled`);
      assert.equal((await scimitar.webhooks.get(endpoint.id)).enabled, true);
      assert.equal((await browser.get('/portal/console/webhooks/whk_missing')).status, 404);
    });
  });
}

for (const { name, skip } of await dialects()) {
  describe(`developer console paging on ${name}`, { skip }, () => {
    test('the console shows organizations 25 to a page, so its cost stays bounded', async () => {
      const app = await startPortalApp(name);
      try {
        for (let i = 0; i < 30; i++) await app.scimitar.admin.createOrganization({ name: `Paged Org ${String(i).padStart(2, '0')}` });
        await app.scimitar.admin.createAdminUser({ email: 'pager@example.com', password: 'a long enough password' });
        const browser = new PortalClient(app.url);
        assert.equal((await browser.signIn('pager@example.com', 'a long enough password')).status, 303);
        const cards = (html: string) => (html.match(/class="panel org-card"/g) ?? []).length;
        const first = await browser.get('/portal/console');
        assert.equal(cards(first.html), 25);
        assert.match(first.html, /Page 1 of 2/);
        assert.ok(first.html.includes('href="/portal/console?page=2"'));
        const second = await browser.get('/portal/console?page=2');
        assert.equal(cards(second.html), 5);
        // Together the two pages show every organization once (ids made in one millisecond may sort either way).
        const named = (html: string) => html.match(/Paged Org \d\d/g) ?? [];
        assert.deepEqual([...named(first.html), ...named(second.html)].sort(), Array.from({ length: 30 }, (_, i) => `Paged Org ${String(i).padStart(2, '0')}`));
        assert.equal(cards((await browser.get('/portal/console?page=999')).html), 5, 'a page past the end shows the last');
      } finally {
        await app.close();
      }
    });
  });
}
