/**
 * The host app's side of SSO through `scimitar/client`: build the authorize URL, and exchange
 * the code the redirect URI received for the profile (once).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ScimitarApiError, ScimitarClient } from '../../src/client/index.js';
import { dialects } from '../support/databases.js';
import { APP_CALLBACK, addConnection, signIn, startSsoWorld, type SsoWorld } from '../support/sso.js';

for (const dialect of await dialects()) {
  describe(`scimitar/client SSO helpers (${dialect.name})`, { skip: dialect.skip }, () => {
    let world: SsoWorld;
    before(async () => {
      world = await startSsoWorld(dialect.name);
    });
    after(() => world?.close());

    test('authorizeUrl builds the /sso/authorize address the app sends the browser to', () => {
      const client = new ScimitarClient({ baseUrl: world.url, apiKey: world.apiKey });
      const url = new URL(client.sso.authorizeUrl({ organization: world.domain, redirectUri: APP_CALLBACK, state: 's&t' }));
      assert.equal(url.origin + url.pathname, `${world.url}/sso/authorize`);
      assert.equal(url.searchParams.get('organization'), world.domain);
      assert.equal(url.searchParams.get('redirect_uri'), APP_CALLBACK);
      assert.equal(url.searchParams.get('state'), 's&t');
    });

    test('exchangeCode returns the profile of the signed-in user, and a second exchange fails with invalid_grant', async () => {
      const connection = await addConnection(world);
      const run = await signIn(world, connection, { state: 'from-client' });
      assert.ok(run.code, run.acs.html);
      const client = new ScimitarClient({ baseUrl: `${world.url}/api/v1`, apiKey: world.apiKey });
      const profile = await client.sso.exchangeCode(run.code);
      assert.equal(profile.email, 'ada@example.com');
      assert.equal(profile.organizationId, world.organizationId);
      assert.equal(profile.connectionId, connection.id);
      assert.match(profile.userId, /^usr_/);
      await assert.rejects(client.sso.exchangeCode(run.code), (error: unknown) => error instanceof ScimitarApiError && error.status === 400 && error.code === 'invalid_grant');
    });
  });
}
