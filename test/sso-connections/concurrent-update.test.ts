/**
 * Two administrators change one connection at the same moment (one adds the IdP's next signing
 * certificate, the other the app's redirect URL): both changes survive, on both databases.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/databases.js';
import { APP_CALLBACK, APP_OTHER, addConnection, startSsoWorld, testKeys, type SsoWorld } from '../support/sso.js';

for (const dialect of await dialects()) {
  describe(`concurrent connection changes (${dialect.name})`, { skip: dialect.skip }, () => {
    let world: SsoWorld;
    before(async () => {
      world = await startSsoWorld(dialect.name);
    });
    after(() => world?.close());

    test('a certificate added and redirect URLs edited at once are both kept (no lost update)', async () => {
      const sso = world.app.scimitar.sso;
      for (let round = 0; round < 5; round++) {
        const connection = await addConnection(world, { redirectUrls: [APP_CALLBACK], defaultRedirectUrl: null });
        const next = testKeys().sp.certificatePem;
        await Promise.all([
          sso.updateConnection({ connectionId: connection.id, patch: { addCertificate: next } }),
          sso.updateConnection({ connectionId: connection.id, patch: { redirectUrls: [APP_CALLBACK, APP_OTHER] } }),
        ]);
        const after = await world.app.scimitar.store.sso.findConnection(connection.id);
        assert.equal(after!.idpCertificates.length, 2, `round ${round}: the added certificate is kept`);
        assert.deepEqual(after!.redirectUrls, [APP_CALLBACK, APP_OTHER], `round ${round}: the redirect URLs are kept`);
      }
    });
  });
}
