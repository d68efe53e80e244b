/**
 * The SSO storage contract (SsoRepository, store/sso.ts), run unchanged on SQLite and PostgreSQL:
 * connections round-trip with their JSON and boolean columns, domains are unique across
 * organizations, and requests, codes and assertion ids are single use under concurrency.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/app/ports.js';
import type { SsoCodeRecord, SsoRequestRecord } from '../../src/app/sso/sso-repository.js';
import type { SsoAttempt, SsoConnection, SsoProfile } from '../../src/domain/sso.js';
import { createStore } from '../../src/store/create-store.js';
import { migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import type { OpenDatabase } from '../../src/store/dialects/dialect.js';
import { createIdGenerator } from '../../src/runtime/system.js';
import { createTestDatabase, dialects, type TestDatabase } from '../support/databases.js';

const T0 = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-01T00:10:00.000Z';
const NOW = '2026-01-01T00:05:00.000Z';

for (const { name, skip } of await dialects()) {
  describe(`SSO store contract on ${name}`, { skip }, () => {
    let testDb: TestDatabase;
    let database: OpenDatabase;
    let store: Store;
    const ids = createIdGenerator();
    let orgA: string;
    let orgB: string;
    let dirA: string;
    let seq = 0;
    const next = (prefix: string) => `${prefix}_${String(++seq).padStart(6, '0')}`;

    const connection = (organizationId: string, extra: Partial<SsoConnection> = {}): SsoConnection => ({
      id: next('sso'),
      organizationId,
      name: 'Okta',
      directoryId: dirA,
      status: 'active',
      idpEntityId: 'http://www.okta.com/exk1',
      idpSsoUrl: 'https://dev-1.okta.com/app/x/sso/saml',
      idpCertificates: ['MIIBcert1', 'MIIBcert2'],
      wantAuthnRequestsSigned: false,
      metadataSource: 'url',
      metadataUrl: 'https://dev-1.okta.com/app/x/sso/saml/metadata',
      metadataFetchedAt: T0,
      allowIdpInitiated: true,
      redirectUrls: ['https://app.example.com/callback', 'http://localhost:3000/cb'],
      defaultRedirectUrl: 'https://app.example.com/callback',
      spPrivateKeyPem: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n',
      spCertificate: 'MIIBsp',
      createdAt: T0,
      updatedAt: T0,
      ...extra,
    });
    const request = (connectionId: string, extra: Partial<SsoRequestRecord> = {}): SsoRequestRecord => ({
      id: next('_req'),
      connectionId,
      redirectUri: 'https://app.example.com/callback',
      state: 'xyz',
      createdAt: T0,
      expiresAt: LATER,
      usedAt: null,
      ...extra,
    });
    const profile = (connectionId: string): SsoProfile => ({
      userId: 'usr_1',
      directoryId: dirA,
      organizationId: orgA,
      connectionId,
      subject: 'ada@example.com',
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      groups: ['Engineering', 'Ünïcode'],
      roles: ['admin'],
      rawAttributes: { email: ['ada@example.com'], groups: ['Engineering', 'Ünïcode'] },
      provisioning: 'created',
    });
    const code = (connectionId: string, extra: Partial<SsoCodeRecord> = {}): SsoCodeRecord => ({
      codeSha256: next('sha'),
      organizationId: orgA,
      connectionId,
      profile: profile(connectionId),
      createdAt: T0,
      expiresAt: LATER,
      usedAt: null,
      ...extra,
    });
    const attempt = (connectionId: string, outcome: 'succeeded' | 'failed', at: string): SsoAttempt => ({
      id: next('att'),
      connectionId,
      at,
      correlationId: next('corr'),
      flow: 'sp_initiated',
      outcome,
      failureCode: outcome === 'failed' ? 'audience_mismatch' : null,
      detail: outcome === 'failed' ? 'not for us' : null,
      want: outcome === 'failed' ? 'https://a' : null,
      got: outcome === 'failed' ? 'https://b' : null,
      subject: 'ada@example.com',
      userId: outcome === 'succeeded' ? 'usr_1' : null,
      clientIp: '203.0.113.7',
    });

    before(async () => {
      testDb = await createTestDatabase(name);
      database = openDatabase(testDb.url);
      await migrate(database);
      store = createStore(database, ids);
      orgA = ids.next('org');
      orgB = ids.next('org');
      for (const id of [orgA, orgB]) await store.organizations.insert({ id, name: id, createdAt: T0, updatedAt: T0 });
      dirA = ids.next('dir');
      await store.directories.insert({ id: dirA, organizationId: orgA, name: 'D', provider: 'okta', status: 'active', createdAt: T0, updatedAt: T0 });
    });
    after(async () => {
      await database?.close();
      await testDb?.drop();
    });

    test('a connection round-trips with its arrays, booleans and nulls; lists are per organization', async () => {
      const c = connection(orgA);
      const d = connection(orgA, { allowIdpInitiated: false, wantAuthnRequestsSigned: true, metadataSource: 'fields', metadataUrl: null, metadataFetchedAt: null, redirectUrls: [], defaultRedirectUrl: null, status: 'inactive' });
      const e = connection(orgB);
      for (const x of [c, d, e]) await store.sso.insertConnection(x);
      assert.deepEqual(await store.sso.findConnection(c.id), c);
      assert.deepEqual(await store.sso.findConnection(d.id), d);
      assert.deepEqual((await store.sso.listConnections(orgA)).map((x) => x.id), [c.id, d.id]);
      assert.deepEqual((await store.sso.listConnections(orgB)).map((x) => x.id), [e.id]);
      assert.equal(await store.sso.findConnection('sso_nope'), undefined);

      const updated: SsoConnection = { ...c, name: 'Okta 2', idpCertificates: ['MIIBcert3'], allowIdpInitiated: false, redirectUrls: ['https://x.example.com/'], defaultRedirectUrl: null, updatedAt: LATER };
      await store.sso.updateConnection(updated);
      assert.deepEqual(await store.sso.findConnection(c.id), updated);
      // The update of a connection under the wrong organization changes nothing.
      await store.sso.updateConnection({ ...e, organizationId: orgA, name: 'hijacked' });
      assert.equal((await store.sso.findConnection(e.id))!.name, 'Okta');
    });

    test('delete is scoped by organization and takes the connection\'s identities, requests, codes and attempts with it', async () => {
      const c = connection(orgA);
      await store.sso.insertConnection(c);
      await store.sso.linkIdentity(c.id, 'ada@example.com', dirA, 'usr_1', T0);
      await store.sso.insertRequest(request(c.id));
      await store.sso.insertCode(code(c.id));
      await store.sso.recordAttempt(attempt(c.id, 'succeeded', T0));
      assert.equal(await store.sso.rememberAssertion(c.id, 'id-1', LATER), true);

      assert.equal(await store.sso.deleteConnection(orgB, c.id), false);
      assert.ok(await store.sso.findConnection(c.id));
      assert.equal(await store.sso.deleteConnection(orgA, c.id), true);
      assert.equal(await store.sso.findConnection(c.id), undefined);
      assert.equal(await store.sso.findIdentity(c.id, 'ada@example.com'), undefined);
      assert.deepEqual(await store.sso.listAttempts(c.id, { limit: 10 }), []);
      assert.equal(await store.sso.rememberAssertion(c.id, 'id-1', LATER), true, 'the replay entry went too');
      assert.equal(await store.sso.deleteConnection(orgA, c.id), false);
    });

    test('the sign-in policy defaults to jit and is per organization', async () => {
      assert.equal(await store.sso.getPolicy(orgA), 'jit');
      await store.sso.setPolicy(orgA, 'scim_only');
      assert.equal(await store.sso.getPolicy(orgA), 'scim_only');
      assert.equal(await store.sso.getPolicy(orgB), 'jit');
      assert.equal(await store.sso.getPolicy('org_nope'), undefined);
      await store.sso.setPolicy(orgA, 'jit');
    });

    test('domains are stored lower-case and unique across organizations; a taken one is reported and nothing is written', async () => {
      assert.deepEqual(await store.sso.setDomains(orgA, ['Acme.com', 'acme.io', 'ACME.COM'], T0), { taken: [] });
      assert.deepEqual(await store.sso.listDomains(orgA), ['acme.com', 'acme.io']);
      assert.equal(await store.sso.findOrganizationByDomain('ACME.com'), orgA);
      assert.equal(await store.sso.findOrganizationByDomain('other.com'), undefined);

      assert.deepEqual(await store.sso.setDomains(orgB, ['beta.com'], T0), { taken: [] });
      assert.deepEqual(await store.sso.setDomains(orgB, ['beta.org', 'Acme.IO'], T0), { taken: ['acme.io'] });
      assert.deepEqual(await store.sso.listDomains(orgB), ['beta.com'], 'nothing of the refused change was written');
      assert.equal(await store.sso.findOrganizationByDomain('acme.io'), orgA);

      // Replacing the list removes what is left out; an empty list removes all.
      assert.deepEqual(await store.sso.setDomains(orgA, ['acme.com', 'acme.dev'], T0), { taken: [] });
      assert.deepEqual(await store.sso.listDomains(orgA), ['acme.com', 'acme.dev']);
      assert.deepEqual(await store.sso.setDomains(orgB, ['acme.io'], T0), { taken: [] }, 'a released domain can be claimed');
      assert.deepEqual(await store.sso.setDomains(orgB, [], T0), { taken: [] });
      assert.deepEqual(await store.sso.listDomains(orgB), []);
    });

    test('two organizations claiming one domain at once: exactly one gets it', async () => {
      const results = await Promise.allSettled(
        [orgA, orgB].map((org) => store.transaction((tx) => tx.sso.setDomains(org, ['race.example', `${org}.example`], T0))),
      );
      const won = results.filter((r) => r.status === 'fulfilled' && r.value.taken.length === 0);
      assert.equal(won.length, 1, JSON.stringify(results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason)))));
      const owner = await store.sso.findOrganizationByDomain('race.example');
      const loser = owner === orgA ? orgB : orgA;
      assert.ok(owner === orgA || owner === orgB);
      assert.equal(await store.sso.findOrganizationByDomain(`${loser}.example`), undefined, 'the loser wrote nothing');
    });

    test('identities link a subject to a user, and re-linking moves it', async () => {
      const c = connection(orgA);
      await store.sso.insertConnection(c);
      assert.equal(await store.sso.findIdentity(c.id, 'ada@example.com'), undefined);
      await store.sso.linkIdentity(c.id, 'ada@example.com', dirA, 'usr_1', T0);
      assert.deepEqual(await store.sso.findIdentity(c.id, 'ada@example.com'), { userId: 'usr_1', directoryId: dirA });
      await store.sso.linkIdentity(c.id, 'ada@example.com', dirA, 'usr_2', LATER);
      assert.deepEqual(await store.sso.findIdentity(c.id, 'ada@example.com'), { userId: 'usr_2', directoryId: dirA });
      assert.equal(await store.sso.findIdentity(c.id, 'ADA@example.com'), undefined, 'subjects compare exactly');
    });

    test('a request is consumed once, by its own connection, before it expires', async () => {
      const r = request('sso_c1');
      await store.sso.insertRequest(r);
      assert.equal(await store.sso.consumeRequest('sso_other', r.id, NOW), undefined);
      assert.deepEqual(await store.sso.consumeRequest('sso_c1', r.id, NOW), { ...r, usedAt: NOW });
      assert.equal(await store.sso.consumeRequest('sso_c1', r.id, NOW), undefined);

      const expired = request('sso_c1', { expiresAt: NOW });
      await store.sso.insertRequest(expired);
      assert.equal(await store.sso.consumeRequest('sso_c1', expired.id, NOW), undefined, 'expires_at is exclusive');
      assert.equal(await store.sso.consumeRequest('sso_c1', '_req_unknown', NOW), undefined);
    });

    test('twenty concurrent consumers of one request: exactly one wins (plain and in transactions)', async () => {
      for (const inTransaction of [false, true]) {
        const r = request('sso_c1');
        await store.sso.insertRequest(r);
        const results = await Promise.all(
          Array.from({ length: 20 }, () => (inTransaction ? store.transaction((tx) => tx.sso.consumeRequest('sso_c1', r.id, NOW)) : store.sso.consumeRequest('sso_c1', r.id, NOW))),
        );
        assert.equal(results.filter((x) => x !== undefined).length, 1, `inTransaction=${inTransaction}`);
      }
    });

    test('an assertion id is accepted once per connection, also under concurrency', async () => {
      assert.equal(await store.sso.rememberAssertion('sso_c1', 'a-1', LATER), true);
      assert.equal(await store.sso.rememberAssertion('sso_c1', 'a-1', LATER), false);
      assert.equal(await store.sso.rememberAssertion('sso_c2', 'a-1', LATER), true, 'per connection');
      const results = await Promise.all(Array.from({ length: 20 }, () => store.transaction((tx) => tx.sso.rememberAssertion('sso_c1', 'a-2', LATER))));
      assert.equal(results.filter(Boolean).length, 1);
    });

    test('a replay detected inside a transaction leaves the transaction usable (the refused attempt is recorded)', async () => {
      await store.sso.rememberAssertion('sso_c9', 'a-9', LATER);
      const failed = attempt('sso_c9', 'failed', NOW);
      const fresh = await store.transaction(async (tx) => {
        const ok = await tx.sso.rememberAssertion('sso_c9', 'a-9', LATER);
        await tx.sso.recordAttempt(failed);
        return ok;
      });
      assert.equal(fresh, false);
      assert.deepEqual(await store.sso.listAttempts('sso_c9', { limit: 10 }), [failed]);
    });

    test('a code is consumed once with its profile, and never after it expires; concurrent consumers: one wins', async () => {
      const c = code('sso_c1');
      await store.sso.insertCode(c);
      assert.deepEqual(await store.sso.consumeCode(c.codeSha256, NOW), { ...c, usedAt: NOW });
      assert.equal(await store.sso.consumeCode(c.codeSha256, NOW), undefined);
      const expired = code('sso_c1', { expiresAt: NOW });
      await store.sso.insertCode(expired);
      assert.equal(await store.sso.consumeCode(expired.codeSha256, NOW), undefined);

      const raced = code('sso_c1');
      await store.sso.insertCode(raced);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? store.sso.consumeCode(raced.codeSha256, NOW) : store.transaction((tx) => tx.sso.consumeCode(raced.codeSha256, NOW)))));
      assert.equal(results.filter((x) => x !== undefined).length, 1);
    });

    test('attempts list newest first, failures only on request, with a keyset cursor', async () => {
      const list = [attempt('sso_log', 'succeeded', '2026-01-01T01:00:00.000Z'), attempt('sso_log', 'failed', '2026-01-01T02:00:00.000Z'), attempt('sso_log', 'failed', '2026-01-01T03:00:00.000Z'), attempt('sso_log', 'succeeded', '2026-01-01T04:00:00.000Z')];
      for (const a of list) await store.sso.recordAttempt(a);
      await store.sso.recordAttempt(attempt('sso_other_log', 'failed', T0));
      const ids = (xs: SsoAttempt[]) => xs.map((a) => a.id);
      assert.deepEqual(ids(await store.sso.listAttempts('sso_log', { limit: 10 })), ids([...list].reverse()));
      assert.deepEqual(await store.sso.listAttempts('sso_log', { limit: 10, failuresOnly: true }), [list[2], list[1]]);
      const first = await store.sso.listAttempts('sso_log', { limit: 2 });
      assert.deepEqual(ids(first), [list[3]!.id, list[2]!.id]);
      assert.deepEqual(ids(await store.sso.listAttempts('sso_log', { limit: 2, beforeId: first[1]!.id })), [list[1]!.id, list[0]!.id]);
    });

    test('purgeExpired removes expired requests, replay entries and codes, and old attempts', async () => {
      const conn = 'sso_purge';
      await store.sso.insertRequest(request(conn, { expiresAt: '2020-01-01T00:00:00.000Z' }));
      const live = request(conn, { expiresAt: '2999-01-01T00:00:00.000Z' });
      await store.sso.insertRequest(live);
      await store.sso.rememberAssertion(conn, 'old', '2020-01-01T00:00:00.000Z');
      await store.sso.rememberAssertion(conn, 'new', '2999-01-01T00:00:00.000Z');
      await store.sso.insertCode(code(conn, { expiresAt: '2020-01-01T00:00:00.000Z' }));
      await store.sso.recordAttempt(attempt(conn, 'failed', '2020-01-01T00:00:00.000Z'));
      const recent = attempt(conn, 'failed', '2026-06-01T00:00:00.000Z');
      await store.sso.recordAttempt(recent);

      const removed = await store.sso.purgeExpired('2026-06-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z');
      assert.ok(removed >= 4, `removed ${removed}`);
      assert.deepEqual(await store.sso.listAttempts(conn, { limit: 10 }), [recent]);
      assert.equal(await store.sso.rememberAssertion(conn, 'old', '2999-01-01T00:00:00.000Z'), true, 'the expired entry is gone');
      assert.equal(await store.sso.rememberAssertion(conn, 'new', '2999-01-01T00:00:00.000Z'), false, 'the live entry stays');
      assert.ok(await store.sso.consumeRequest(conn, live.id, '2026-06-01T00:00:00.000Z'));
    });
  });
}
