import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
before(async () => (server = await startTestServer('sqlite')));
after(async () => server?.close());

test('a malformed %-escape in a SCIM path gets a SCIM 400, not the framework’s error shape', async () => {
  const response = await fetch(`${server.url}/scim/v2/dir_x/Users/%ZZ`);
  assert.equal(response.status, 400);
  assert.match(response.headers.get('content-type') ?? '', /application\/scim\+json/);
  const body = (await response.json()) as Record<string, unknown>;
  assert.deepEqual(body['schemas'], ['urn:ietf:params:scim:api:messages:2.0:Error']);
  assert.equal(body['status'], '400');
});

test('paths outside /scim answer JSON 404, never HTML', async () => {
  const response = await fetch(`${server.url}/admin/index.html`);
  assert.equal(response.status, 404);
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
});
