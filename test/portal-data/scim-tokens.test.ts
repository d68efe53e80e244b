/**
 * The token screen: revoking one token stops it over HTTP at once (401) while the directory's
 * other token keeps working; a second revocation is a no-op; every token is listed with its
 * state and never its hash.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { listScimTokens } from '../../src/app/admin/list-scim-tokens.js';
import { revokeScimToken } from '../../src/app/admin/revoke-scim-token.js';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ScimClient } from '../support/scim-client.js';
import { contextOf, type TestContext } from './portal-data.js';

const HOUR = 3_600_000;

for (const { name, skip } of await dialects()) {
  describe(`SCIM tokens on ${name}`, { skip }, () => {
    let server: TestServer;
    let ctx: TestContext;
    before(async () => {
      server = await startTestServer(name);
      ctx = contextOf(server);
    });
    after(async () => server?.close());

    test('revoking a token stops it over HTTP while another token still works', async () => {
      const { directoryId, client: first } = await server.newDirectory('okta');
      // Rotation keeps the first token working for the grace period: two usable tokens.
      const rotated = await server.server.scimitar.admin.rotateToken({ directoryId });
      const second = new ScimClient(first.baseUrl, rotated.token);
      assert.equal((await first.get('/Users')).status, 200);
      assert.equal((await second.get('/Users')).status, 200);

      const [firstId] = (await listScimTokens(ctx, { directoryId })).filter((t) => t.id !== rotated.tokenId).map((t) => t.id);
      const revoked = await revokeScimToken(ctx, { directoryId, tokenId: firstId! });
      assert.equal(revoked.state, 'revoked');
      assert.ok(revoked.revokedAt);

      const refused = await first.get('/Users');
      assert.equal(refused.status, 401, refused.text);
      assert.equal((await second.get('/Users')).status, 200);

      // Again: a no-op that answers the token as it is.
      const again = await revokeScimToken(ctx, { directoryId, tokenId: firstId! });
      assert.deepEqual(again, revoked);
      assert.equal((await second.get('/Users')).status, 200);
    });

    test('unknown directory or token, or a token of another directory: not_found, nothing revoked', async () => {
      const a = await server.newDirectory('okta');
      const b = await server.newDirectory('okta');
      const [tokenOfB] = await listScimTokens(ctx, { directoryId: b.directoryId });
      await assert.rejects(revokeScimToken(ctx, { directoryId: 'dir_missing', tokenId: tokenOfB!.id }), { code: 'not_found' });
      await assert.rejects(revokeScimToken(ctx, { directoryId: a.directoryId, tokenId: 'tok_missing' }), { code: 'not_found' });
      await assert.rejects(revokeScimToken(ctx, { directoryId: a.directoryId, tokenId: tokenOfB!.id }), { code: 'not_found' });
      await assert.rejects(listScimTokens(ctx, { directoryId: 'dir_missing' }), { code: 'not_found' });
      assert.equal((await b.client.get('/Users')).status, 200, "B's token still works");
      assert.equal((await a.client.get('/Users')).status, 200);
    });

    test('listScimTokens: newest first, no hash, state as of the clock', async () => {
      const { directoryId, client } = await server.newDirectory('okta');
      assert.equal((await client.get('/Users')).status, 200, 'marks the first token used');
      const r1 = await server.server.scimitar.admin.rotateToken({ directoryId });
      const r2 = await server.server.scimitar.admin.rotateToken({ directoryId });
      const tokens = await listScimTokens(ctx, { directoryId });
      assert.equal(tokens.length, 3);
      assert.deepEqual(tokens.slice(0, 2).map((t) => t.id), [r2.tokenId, r1.tokenId]);
      const original = tokens[2]!;
      assert.deepEqual(
        tokens.map((t) => Object.keys(t).sort()),
        tokens.map(() => ['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'lastUsedIp', 'prefix', 'revokedAt', 'state']),
        'no tokenSha256',
      );
      assert.ok(original.lastUsedAt && original.lastUsedIp, 'last use is shown');
      assert.ok(client.token.startsWith(original.prefix));
      assert.deepEqual(tokens.map((t) => t.state), ['active', 'expiring', 'expiring']);

      await revokeScimToken(ctx, { directoryId, tokenId: r1.tokenId });
      assert.deepEqual((await listScimTokens(ctx, { directoryId })).map((t) => t.state), ['active', 'revoked', 'expiring']);

      // After the grace period: the rotated-out token is expired, and revoking it changes nothing.
      ctx.setClock(new Date(Date.now() + 25 * HOUR));
      try {
        assert.deepEqual((await listScimTokens(ctx, { directoryId })).map((t) => t.state), ['active', 'revoked', 'expired']);
        const expired = await revokeScimToken(ctx, { directoryId, tokenId: original.id });
        assert.deepEqual([expired.state, expired.revokedAt], ['expired', null]);
      } finally {
        ctx.setClock();
      }
      // Expiry is exclusive, as in authentication: at expiresAt the token no longer works.
      const expiring = (await listScimTokens(ctx, { directoryId }))[2]!;
      ctx.setClock(new Date(Date.parse(expiring.expiresAt!) - 1));
      try {
        assert.equal((await listScimTokens(ctx, { directoryId }))[2]!.state, 'expiring');
        ctx.setClock(new Date(expiring.expiresAt!));
        assert.equal((await listScimTokens(ctx, { directoryId }))[2]!.state, 'expired');
      } finally {
        ctx.setClock();
      }
    });
  });
}
