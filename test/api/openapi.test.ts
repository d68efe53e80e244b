/**
 * The OpenAPI 3.1 document and its rendered page: served without a key, a valid document
 * (checked by openapi-spec-validator when Python has it), one operation per served route with
 * responses, live responses that match the published schemas, and a page with a strict CSP
 * that loads nothing from anywhere.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { API_ROUTES } from '../../src/http/api/routes.js';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { GROUP_URN, PATCH_OP, oktaUser } from '../support/scim-client.js';
import { api, newTenant } from './helpers.js';
import { schemaErrors } from './schema-check.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Runs openapi-spec-validator (Python) on the document; undefined when it is not installed. */
function pythonValidation(document: string): { ok: boolean; output: string } | undefined {
  const script = 'import json,sys\nfrom openapi_spec_validator import validate\nvalidate(json.load(sys.stdin))\nprint("valid")';
  const result = spawnSync('python3', ['-c', script], { input: document, encoding: 'utf8' });
  if (result.error || /No module named/.test(result.stderr ?? '')) return undefined;
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

for (const { name, skip } of await dialects()) {
  describe(`OpenAPI document and reference page on ${name}`, { skip }, () => {
    let server: TestServer;
    let doc: any;
    let raw: string;
    before(async () => {
      server = await startTestServer(name);
      const response = await api(server).get('/openapi.json');
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      raw = response.text;
      doc = JSON.parse(raw);
    });
    after(async () => server?.close());

    test('is an OpenAPI 3.1 document that a validator accepts', (t) => {
      assert.equal(doc.openapi, '3.1.0');
      assert.equal(doc.servers[0].url, 'http://127.0.0.1/api/v1');
      const validation = pythonValidation(raw);
      if (!validation) return t.skip('python3 with openapi-spec-validator is not installed');
      assert.ok(validation.ok, validation.output);
    });

    test('every path has operations, each with responses, a 2xx, unique operationIds and declared path parameters', () => {
      const operationIds = new Set<string>();
      for (const [path, item] of Object.entries<any>(doc.paths)) {
        const ops = Object.entries<any>(item).filter(([method]) => METHODS.includes(method));
        assert.ok(ops.length > 0, `${path} has operations`);
        for (const [method, op] of ops) {
          const where = `${method.toUpperCase()} ${path}`;
          assert.ok(op.responses && Object.keys(op.responses).length > 0, `${where} has responses`);
          assert.ok(Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)), `${where} has a success response`);
          assert.ok(!operationIds.has(op.operationId), `${where}: operationId ${op.operationId} is unique`);
          operationIds.add(op.operationId);
          const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name).sort();
          const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
          assert.deepEqual(declared, inPath, `${where} declares its path parameters`);
          if (op.security === undefined) assert.ok(op.responses['401'], `${where} documents 401`);
        }
      }
      for (const route of API_ROUTES) {
        assert.ok(doc.paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path} is documented`);
      }
      assert.ok(doc.paths['/openapi.json'].get && doc.paths['/docs'].get);
    });

    test('every $ref resolves', () => {
      const refs = [...raw.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(refs.length > 20);
      for (const ref of new Set(refs)) {
        const name = ref.replace('#/components/schemas/', '');
        assert.ok(ref.startsWith('#/components/schemas/') && doc.components.schemas[name], `${ref} resolves`);
      }
    });

    test('live responses match the published schemas: user, group, event, directory, error', async () => {
      const t = await newTenant(server);
      const user = await t.scim.post('/Users', oktaUser('schema@acme.example', { 'urn:example:custom': { badge: 7 } }));
      const group = await t.scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Schema' });
      await t.scim.patch(`/Groups/${group.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: user.body.id }] }] });
      await t.scim.patch(`/Groups/${group.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { displayName: 'Schema 2' } }] });
      await t.scim.patch(`/Users/${user.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'Auditor' }] });
      await t.scim.patch(`/Users/${user.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
      await t.api.post(`/directories/${t.directoryId}/token`, {});
      const dir = `/directories/${t.directoryId}`;
      const checks: [string, string][] = [
        [`${dir}/users`, 'UserPage'],
        [`${dir}/users/${user.body.id}`, 'DirectoryUser'],
        [`${dir}/groups`, 'GroupPage'],
        [`${dir}/groups/${group.body.id}`, 'DirectoryGroup'],
        ['/events', 'EventsPage'],
        [dir, 'Directory'],
        ['/directories', 'DirectoryList'],
        ['/organizations', 'OrganizationList'],
        [`${dir}/settings`, 'DirectorySettings'],
        ['/webhook-endpoints', 'WebhookEndpointList'],
        [`${dir}/users/usr_nope`, 'Error'],
      ];
      for (const [path, schema] of checks) {
        const response = await t.api.get(path);
        assert.deepEqual(schemaErrors(response.body, { $ref: `#/components/schemas/${schema}` }, doc.components.schemas), [], `${path} as ${schema}`);
      }
      const events = (await t.api.get('/events')).body.data.map((e: { type: string }) => e.type);
      for (const type of ['user.created', 'user.updated', 'user.deactivated', 'group.created', 'group.updated', 'group.member_added', 'directory.token_rotated']) {
        assert.ok(events.includes(type), `${type} was checked`);
      }
    });

    test('the reference page is self-contained HTML with a strict CSP', async () => {
      const page = await api(server).get('/docs');
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      const csp = page.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:|\*/);
      assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
      const html = page.text;
      assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|url\(/i);
      // No external URL in any attribute: links stay on the page or next to it.
      for (const [, url] of html.matchAll(/\s(?:href|src|action)="([^"]*)"/g)) {
        assert.match(url!, /^(#[\w-]+|openapi\.json)$/, `attribute URL ${url}`);
      }
      assert.doesNotMatch(html, /https?:\/\/(?!127\.0\.0\.1\/api\/v1<)/, 'no URL other than the base URL shown as text');
      // The one inline style is the one the CSP hash allows.
      const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
      assert.ok(csp.includes(`'sha256-${createHash('sha256').update(style).digest('base64')}'`));
      for (const route of API_ROUTES) assert.ok(html.includes(`id="op-${route.operationId}"`), `${route.operationId} is on the page`);
    });
  });
}
