import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { oktaUser } from '../support/scim-client.js';

for (const { name, skip } of await dialects()) {
  describe(`smoke on ${name}`, { skip }, () => {
    let server: TestServer;
    before(async () => (server = await startTestServer(name)));
    after(async () => server?.close());

    test('Okta creates a user and finds it with its existence check', async () => {
      const { client } = await server.newDirectory();
      const created = await client.post('/Users', oktaUser('ann@example.com'));
      assert.equal(created.status, 201);
      const found = await client.get('/Users?filter=userName%20eq%20%22ANN%40example.com%22&startIndex=1&count=100');
      assert.equal(found.status, 200);
      assert.equal(found.body.totalResults, 1);
      assert.equal(found.body.Resources[0].id, created.body.id);
    });
  });
}
