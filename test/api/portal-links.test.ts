/**
 * Setup links through the REST API: POST /organizations/{id}/portal-links returns a URL that
 * opens the setup portal's landing page, expiring when asked; an organization-scoped key may
 * create them for its own organization only (another's answers 404, like everything else of
 * it); bad input is a 400 and creates nothing; the route is in the OpenAPI document.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { api, createKey, errorCode, newTenant, type RawApi, type Tenant } from './helpers.js';
import { schemaErrors } from './schema-check.js';

const HOUR = 3_600_000;

for (const { name, skip } of await dialects()) {
  describe(`setup links through the API on ${name}`, { skip }, () => {
    let server: TestServer;
    let global: RawApi;
    let a: Tenant;
    let b: Tenant;

    before(async () => {
      server = await startTestServer(name);
      global = api(server, await createKey(server));
      a = await newTenant(server);
      b = await newTenant(server);
    });
    after(async () => server?.close());

    const links = (organizationId: string) => server.server.scimitar.store.portal.listLinks(organizationId);
    /** The link's path on this test server (the public URL has no port). */
    const onServer = (url: string) => `${server.url}${new URL(url).pathname}`;

    test('a global key creates a single-use link whose URL opens the landing page', async () => {
      const started = Date.now();
      const created = await global.post(`/organizations/${a.organizationId}/portal-links`);
      assert.equal(created.status, 201, created.text);
      assert.match(created.headers.get('cache-control') ?? '', /no-store/);
      assert.deepEqual(Object.keys(created.body).sort(), ['expiresAt', 'id', 'organizationId', 'url']);
      assert.match(created.body.id, /^lnk_/);
      assert.equal(created.body.organizationId, a.organizationId);
      assert.match(created.body.url, /^http:\/\/127\.0\.0\.1\/portal\/link\/scimitar_setup_[\w-]+$/);
      const expiresIn = Date.parse(created.body.expiresAt) - started;
      assert.ok(expiresIn > 23.9 * HOUR && expiresIn <= 24 * HOUR + 60_000, `expires in 24 hours by default (${expiresIn} ms)`);
      assert.ok((await links(a.organizationId)).some((l) => l.id === created.body.id));
      assert.ok(!JSON.stringify(await links(a.organizationId)).includes(new URL(created.body.url).pathname.split('/').pop()!), 'only the hash is stored');

      const landing = await fetch(onServer(created.body.url));
      assert.equal(landing.status, 200);
      const page = await landing.text();
      assert.match(page, /Connect your identity provider/);
      assert.match(page, /Test Org/);
      assert.match(page, /works once/);
    });

    test('expiresInHours sets the expiry', async () => {
      const started = Date.now();
      const two = await global.post(`/organizations/${a.organizationId}/portal-links`, { expiresInHours: 2 });
      assert.equal(two.status, 201, two.text);
      const ms = Date.parse(two.body.expiresAt) - started;
      assert.ok(ms > 1.99 * HOUR && ms <= 2 * HOUR + 60_000, `${ms} ms`);
      const half = await global.post(`/organizations/${a.organizationId}/portal-links`, { expiresInHours: 0.5 });
      assert.equal(half.status, 201);
      assert.ok(Math.abs(Date.parse(half.body.expiresAt) - started - 0.5 * HOUR) < 60_000);
      const month = await global.post(`/organizations/${a.organizationId}/portal-links`, { expiresInHours: 720 });
      assert.equal(month.status, 201);
    });

    test('an organization-scoped key creates links for its own organization only; another organization answers 404', async () => {
      const own = await a.api.post(`/organizations/${a.organizationId}/portal-links`, { expiresInHours: 1 });
      assert.equal(own.status, 201, own.text);
      assert.equal(own.body.organizationId, a.organizationId);

      const linksOfB = (await links(b.organizationId)).length;
      const other = await a.api.post(`/organizations/${b.organizationId}/portal-links`);
      assert.equal(other.status, 404);
      assert.equal(errorCode(other), 'not_found');
      const missing = await a.api.post('/organizations/org_missing/portal-links');
      assert.equal(missing.status, 404);
      assert.equal(other.body.error.message.replace(b.organizationId, 'X'), missing.body.error.message.replace('org_missing', 'X'), 'the same answer as an organization that does not exist');
      assert.equal((await links(b.organizationId)).length, linksOfB, 'nothing created for B');

      const unknown = await global.post('/organizations/org_missing/portal-links');
      assert.equal(unknown.status, 404);
      assert.equal(errorCode(unknown), 'not_found');
    });

    test('bad input is a 400 and creates nothing; no key is a 401', async () => {
      const before = (await links(a.organizationId)).length;
      const path = `/organizations/${a.organizationId}/portal-links`;
      for (const body of [{ expiresInHours: '24' }, { expiresInHours: 0 }, { expiresInHours: -1 }, { expiresInHours: 721 }, { expiresInHours: 0.001 }, { expiresInHours: true }, { expires_in_hours: 2 }]) {
        const result = await global.post(path, body);
        assert.equal(result.status, 400, JSON.stringify(body));
        assert.equal(errorCode(result), 'invalid_value', JSON.stringify(body));
      }
      const syntax = await global.request('POST', path, { raw: '{"expiresInHours":', headers: { 'content-type': 'application/json' } });
      assert.equal(syntax.status, 400);
      assert.equal(errorCode(syntax), 'invalid_syntax');
      const type = await global.request('POST', path, { raw: 'expiresInHours=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(type.status, 415);
      assert.equal((await links(a.organizationId)).length, before);

      const anonymous = await api(server).post(path);
      assert.equal(anonymous.status, 401);
      assert.equal((await global.get(path)).status, 405);
    });

    test('the route is in the OpenAPI document, and the response matches it', async () => {
      const doc = (await api(server).get('/openapi.json')).body;
      const op = doc.paths['/organizations/{id}/portal-links']?.post;
      assert.ok(op, 'documented');
      assert.equal(op.operationId, 'createPortalLink');
      assert.deepEqual(op.tags, ['Organizations']);
      assert.ok(op.responses['201'] && op.responses['400'] && op.responses['404'] && op.responses['401']);
      assert.ok(op.requestBody.content['application/json'].schema.properties.expiresInHours);
      const created = await global.post(`/organizations/${b.organizationId}/portal-links`, { expiresInHours: 3 });
      assert.deepEqual(schemaErrors(created.body, op.responses['201'].content['application/json'].schema, doc.components.schemas), []);
      const page = await api(server).get('/docs');
      assert.match(page.text, /id="op-createPortalLink"/);
    });
  });
}
