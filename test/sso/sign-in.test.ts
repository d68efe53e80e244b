/**
 * SAML sign-in end to end, over real HTTP on both databases: a browser between /sso/authorize, a
 * test IdP and our ACS, then the host app's server redeeming the code at /sso/token. Covers the
 * two flows, just-in-time provisioning and its events, linking SCIM users, the organization's
 * policy, deactivated users, the code's single use and lifetime, tenancy of the code exchange,
 * and the authorize checks that never redirect anywhere unregistered.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { verify } from 'node:crypto';
import { dialects } from '../support/databases.js';
import { oktaUser } from '../support/scim-client.js';
import {
  APP_CALLBACK,
  APP_HOME,
  APP_OTHER,
  addConnection,
  assertRefused,
  attempts,
  authorize,
  decodeAuthnRequest,
  events,
  idpInitiated,
  redeem,
  signIn,
  spUrls,
  startSsoWorld,
  testKeys,
  users,
  type SsoWorld,
} from '../support/sso.js';
import type { SsoConnection } from '../../src/domain/sso.js';
import type { DirectoryUser } from '../../src/domain/directory-view.js';

const person = (local: string, first = 'Test', last = 'Person') => ({
  nameId: `${local}@example.com`,
  attributes: { email: [`${local}@example.com`], firstName: [first], lastName: [last] },
});

for (const dialect of await dialects()) {
  describe(`SAML sign-in (${dialect.name})`, { skip: dialect.skip }, () => {
    let world: SsoWorld;
    let connection: SsoConnection;

    before(async () => {
      world = await startSsoWorld(dialect.name);
      connection = await addConnection(world);
    });
    after(() => world?.close());

    test('SP-initiated: authorize → IdP → ACS → redirect with code and state → token returns the profile', async () => {
      const run = await signIn(world, connection, { state: 'opaque state/with?chars&=', response: person('ada', 'Ada', 'Lovelace') });

      // What the IdP received: an AuthnRequest for this connection, its ID as the RelayState.
      const urls = spUrls(world, connection.id);
      assert.equal(run.request.issuer, urls.entityId);
      assert.equal(run.request.acsUrl, urls.acsUrl);
      assert.equal(run.request.destination, connection.idpSsoUrl);
      assert.equal(run.request.relayState, run.request.id);
      assert.match(run.request.xml, /nameid-format:emailAddress/);
      assert.equal(run.request.signature, null, 'requests are not signed unless the connection asks');

      // Back at the host app: exactly the registered URL, with a code and the state untouched.
      assert.equal(run.acs.status, 302, run.acs.html);
      const target = new URL(run.acs.location!);
      assert.equal(`${target.origin}${target.pathname}`, APP_CALLBACK);
      assert.equal(run.state, 'opaque state/with?chars&=');
      assert.match(run.code!, /^scimitar_code_[A-Za-z0-9_-]{43}$/);

      const redeemed = await redeem(world, run.code!);
      assert.equal(redeemed.status, 200, JSON.stringify(redeemed.body));
      const profile = redeemed.body;
      assert.match(profile.userId, /^usr_/);
      assert.deepEqual(
        { ...profile, userId: undefined },
        {
          userId: undefined,
          directoryId: world.directoryId,
          organizationId: world.organizationId,
          connectionId: connection.id,
          subject: 'ada@example.com',
          email: 'ada@example.com',
          firstName: 'Ada',
          lastName: 'Lovelace',
          groups: [],
          roles: [],
          rawAttributes: { email: ['ada@example.com'], firstName: ['Ada'], lastName: ['Lovelace'] },
          provisioning: 'created',
        },
      );

      const attempt = (await attempts(world, connection.id))[0]!;
      assert.equal(attempt.outcome, 'succeeded');
      assert.equal(attempt.flow, 'sp_initiated');
      assert.equal(attempt.userId, profile.userId);
      assert.equal(attempt.subject, 'ada@example.com');
      const succeeded = (await events(world)).filter((e) => e.type === 'sso.login_succeeded');
      assert.deepEqual(succeeded.at(-1)!.data, {
        connectionId: connection.id,
        flow: 'sp_initiated',
        user: { id: profile.userId, userName: 'ada@example.com', email: 'ada@example.com' },
        subject: 'ada@example.com',
        provisioning: 'created',
      });
    });

    test('IdP-initiated is refused by default', async () => {
      const before = await users(world);
      const { acs } = await idpInitiated(world, connection, { response: person('idp-default') });
      const attempt = await assertRefused(world, connection, acs, 'unsolicited_not_allowed', { usersBefore: before });
      assert.equal(attempt.flow, 'idp_initiated');
      assert.match(acs.html, /start from the application/i);
    });

    test('IdP-initiated lands on the default redirect when allowed; RelayState honoured only for registered URLs', async () => {
      const open = await addConnection(world, { allowIdpInitiated: true, redirectUrls: [APP_CALLBACK, APP_HOME, APP_OTHER], defaultRedirectUrl: APP_HOME });
      const land = async (relayState: string | null) => {
        const r = await idpInitiated(world, open, { response: person('idp-user'), relayState });
        assert.equal(r.acs.status, 302, r.acs.html);
        assert.ok(r.code);
        assert.equal(r.target!.searchParams.get('state'), null, 'no state on an IdP-initiated sign-in');
        return `${r.target!.origin}${r.target!.pathname}`;
      };
      assert.equal(await land(null), APP_HOME);
      assert.equal(await land(APP_OTHER), APP_OTHER);
      assert.equal(await land('https://evil.example/steal'), APP_HOME, 'an unregistered RelayState is ignored');
      assert.equal(await land(`${APP_OTHER}/../../evil`), APP_HOME, 'only exact matches count');

      const last = (await attempts(world, open.id))[0]!;
      assert.equal(last.flow, 'idp_initiated');
      assert.equal(last.outcome, 'succeeded');

      // Without a default, an unregistered RelayState leaves nowhere to go: a page, not a redirect.
      const noDefault = await addConnection(world, { allowIdpInitiated: true, defaultRedirectUrl: null });
      const before = await users(world);
      const refused = await idpInitiated(world, noDefault, { response: person('idp-user'), relayState: 'https://evil.example/' });
      await assertRefused(world, noDefault, refused.acs, 'no_default_redirect', { usersBefore: before });
    });

    test('JIT creates the user (source saml_jit) with a user.created event', async () => {
      const run = await signIn(world, connection, { response: person('jit.new', 'Joan', 'Clarke') });
      const profile = (await redeem(world, run.code!)).body;
      assert.equal(profile.provisioning, 'created');

      const user = (await users(world)).find((u) => u.id === profile.userId)!;
      assert.equal(user.source, 'saml_jit');
      assert.equal(user.userName, 'jit.new@example.com');
      assert.equal(user.externalId, null);
      assert.equal(user.active, true);

      const all = await events(world);
      const created = all.filter((e) => e.type === 'user.created' && (e.data as { user: DirectoryUser }).user.id === user.id);
      assert.equal(created.length, 1);
      const view = (created[0]!.data as { user: DirectoryUser }).user;
      assert.equal(view.email, 'jit.new@example.com');
      assert.equal(view.firstName, 'Joan');
      assert.equal(view.lastName, 'Clarke');
      assert.equal(view.displayName, 'Joan Clarke');
      assert.equal(view.state, 'active');
      assert.equal(view.source, 'saml_jit');

      // The same shape as a SCIM create's event.
      const scim = await world.app.scimClient(world.directoryId, world.scimToken).post('/Users', oktaUser('shape.check@example.com'));
      assert.equal(scim.status, 201);
      const scimCreated = (await events(world)).find((e) => e.type === 'user.created' && (e.data as { user: DirectoryUser }).user.id === scim.body.id)!;
      assert.deepEqual(Object.keys(view).sort(), Object.keys((scimCreated.data as { user: DirectoryUser }).user).sort());

      // user.created precedes sso.login_succeeded, in one commit.
      const i = all.indexOf(created[0]!);
      assert.equal(all[i + 1]!.type, 'sso.login_succeeded');
      assert.equal(all[i + 1]!.occurredAt, created[0]!.occurredAt);
    });

    test('a later sign-in updates the JIT user\'s name (user.updated)', async () => {
      const first = await redeem(world, (await signIn(world, connection, { response: person('jit.rename', 'Mary', 'Smith') })).code!);
      const userId = first.body.userId;
      const second = await redeem(world, (await signIn(world, connection, { response: person('jit.rename', 'Mary', 'Jones') })).code!);
      assert.equal(second.body.userId, userId);
      assert.equal(second.body.provisioning, 'updated');
      assert.equal(second.body.lastName, 'Jones');

      const updated = (await events(world)).filter((e) => e.type === 'user.updated' && (e.data as { user: DirectoryUser }).user.id === userId);
      assert.equal(updated.length, 1);
      const data = updated[0]!.data as { user: DirectoryUser; previous: Partial<DirectoryUser> };
      assert.equal(data.user.lastName, 'Jones');
      assert.equal(data.previous.lastName, 'Smith');
      assert.equal(data.previous.displayName, 'Mary Smith');

      // The same attributes again change nothing: no event, provisioning 'unchanged'.
      const third = await redeem(world, (await signIn(world, connection, { response: person('jit.rename', 'Mary', 'Jones') })).code!);
      assert.equal(third.body.provisioning, 'unchanged');
      assert.equal((await events(world)).filter((e) => e.type === 'user.updated' && (e.data as { user: DirectoryUser }).user.id === userId).length, 1);
      assert.equal((await users(world)).filter((u) => u.userName === 'jit.rename@example.com').length, 1);
    });

    test('two first sign-ins of one new user at once make one user', async () => {
      const runs = await Promise.all([1, 2, 3].map(() => signIn(world, connection, { response: person('jit.race', 'Rae', 'Race') })));
      const profiles = await Promise.all(runs.map(async (run) => (assert.equal(run.acs.status, 302, run.acs.html), (await redeem(world, run.code!)).body)));
      assert.equal(new Set(profiles.map((p) => p.userId)).size, 1);
      assert.deepEqual(profiles.map((p) => p.provisioning).filter((p) => p === 'created'), ['created']);
      assert.equal((await users(world)).filter((u) => u.userName === 'jit.race@example.com').length, 1);
      const created = (await events(world)).filter((e) => e.type === 'user.created' && (e.data as { user: DirectoryUser }).user.userName === 'jit.race@example.com');
      assert.equal(created.length, 1);
    });

    test('a user provisioned by SCIM is linked, not duplicated', async () => {
      const scim = world.app.scimClient(world.directoryId, world.scimToken);
      await world.app.scimitar.admin.updateDirectorySettings({ directoryId: world.directoryId, settings: { roles: { prefix: 'App_' } } });
      const created = await scim.post('/Users', oktaUser('grace@example.com'));
      assert.equal(created.status, 201);
      const group = await scim.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'App_Admins', members: [{ value: created.body.id }] });
      assert.equal(group.status, 201);
      const before = await users(world);
      const eventsBefore = (await events(world)).length;

      // The IdP says another name: a SCIM-managed user is the IdP's business through SCIM, not sign-in.
      const run = await signIn(world, connection, { response: person('grace', 'Gracie', 'Hopper') });
      const profile = (await redeem(world, run.code!)).body;
      assert.equal(profile.userId, created.body.id);
      assert.equal(profile.provisioning, 'linked');
      assert.equal(profile.firstName, 'grace', 'the directory’s values, not the assertion’s');
      assert.deepEqual(profile.roles, ['Admins']);
      assert.deepEqual(profile.groups, ['App_Admins']);

      assert.deepEqual((await users(world)).map((u) => [u.id, u.version]), before.map((u) => [u.id, u.version]), 'no user created or changed');
      const newEvents = (await events(world)).slice(eventsBefore);
      assert.deepEqual(newEvents.map((e) => e.type), ['sso.login_succeeded']);

      const again = (await redeem(world, (await signIn(world, connection, { response: person('grace') })).code!)).body;
      assert.equal(again.userId, created.body.id);
      assert.equal(again.provisioning, 'unchanged');
    });

    test('identity resolution: the IdP id as externalId, then userName, then email', async () => {
      const scim = world.app.scimClient(world.directoryId, world.scimToken);
      const byExternalId = await scim.post('/Users', oktaUser('kat@example.com', { externalId: '00uKAT123', emails: [{ value: 'kat.other@example.com', primary: true }] }));
      const byEmail = await scim.post('/Users', oktaUser('hopper', { emails: [{ value: 'Grace.Hopper@Example.com', type: 'work', primary: true }] }));
      assert.equal(byExternalId.status, 201);
      assert.equal(byEmail.status, 201);
      const count = (await users(world)).length;

      const viaExternalId = (await redeem(world, (await signIn(world, connection, { response: { nameId: '00uKAT123', nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified', attributes: { email: ['kat.elsewhere@example.com'] } } })).code!)).body;
      assert.equal(viaExternalId.userId, byExternalId.body.id);
      const viaEmail = (await redeem(world, (await signIn(world, connection, { response: person('grace.hopper') })).code!)).body;
      assert.equal(viaEmail.userId, byEmail.body.id, 'email compared case-insensitively');
      assert.equal(viaEmail.provisioning, 'linked');
      assert.equal((await users(world)).length, count);

      // Two users sharing the email: the sign-in cannot tell which one, and says so.
      await scim.post('/Users', oktaUser('twin1', { emails: [{ value: 'twin@example.com', primary: true }] }));
      await scim.post('/Users', oktaUser('twin2', { emails: [{ value: 'twin@example.com', primary: true }] }));
      const before = await users(world);
      const run = await signIn(world, connection, { response: person('twin') });
      await assertRefused(world, connection, run.acs, 'user_ambiguous', { usersBefore: before });
    });

    test('scim_only policy refuses an unknown user with a clear page', async () => {
      await world.app.scimitar.store.sso.setPolicy(world.organizationId, 'scim_only');
      try {
        const before = await users(world);
        const run = await signIn(world, connection, { response: person('stranger') });
        const attempt = await assertRefused(world, connection, run.acs, 'user_not_provisioned', { status: 403, usersBefore: before });
        assert.match(run.acs.html, /You do not have access yet/);
        assert.match(run.acs.html, /IT administrator/);
        assert.equal(attempt.subject, 'stranger@example.com');
        assert.equal(attempt.flow, 'sp_initiated');

        // A user SCIM provisioned still gets in.
        const ok = await signIn(world, connection, { response: person('grace') });
        assert.equal(ok.acs.status, 302, ok.acs.html);
      } finally {
        await world.app.scimitar.store.sso.setPolicy(world.organizationId, 'jit');
      }
    });

    test('a deactivated user is refused', async () => {
      const scim = world.app.scimClient(world.directoryId, world.scimToken);
      const created = await scim.post('/Users', oktaUser('gone@example.com', { active: false }));
      assert.equal(created.status, 201);
      const before = await users(world);
      const run = await signIn(world, connection, { response: person('gone') });
      const attempt = await assertRefused(world, connection, run.acs, 'user_deactivated', { status: 403, usersBefore: before });
      assert.equal(attempt.userId, created.body.id);
      assert.match(run.acs.html, /deactivated/);
    });

    test('the code works once and expires after 60 s', async () => {
      const code = (await signIn(world, connection, { response: person('ada') })).code!;
      assert.equal((await redeem(world, code)).status, 200);
      const again = await redeem(world, code);
      assert.equal(again.status, 400);
      assert.equal(again.body.error.code, 'invalid_grant');

      const late = (await signIn(world, connection, { response: person('ada') })).code!;
      world.clock.offsetMs += 61_000;
      try {
        const expired = await redeem(world, late);
        assert.equal(expired.status, 400);
        assert.deepEqual(expired.body, again.body, 'expired and used look the same');
      } finally {
        world.clock.offsetMs -= 61_000;
      }
      const unknown = await redeem(world, 'scimitar_code_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      assert.deepEqual(unknown, again, 'unknown looks the same too');
      assert.deepEqual(await redeem(world, 'not-a-code'), again);
    });

    test('an organization-scoped API key cannot redeem another organization\'s code', async () => {
      const other = await world.app.scimitar.admin.createOrganization({ name: 'Other' });
      const otherKey = (await world.app.scimitar.admin.createApiKey({ organizationId: other.id })).key;
      const code = (await signIn(world, connection, { response: person('ada') })).code!;
      const refused = await redeem(world, code, otherKey);
      assert.equal(refused.status, 400);
      assert.deepEqual(refused.body, (await redeem(world, 'scimitar_code_unknown')).body, 'indistinguishable from an unknown code');
      assert.equal((await redeem(world, code)).status, 400, 'a code presented with the wrong key is spent');

      const globalKey = (await world.app.scimitar.admin.createApiKey({})).key;
      const fresh = (await signIn(world, connection, { response: person('ada') })).code!;
      const byGlobal = await redeem(world, fresh, globalKey);
      assert.equal(byGlobal.status, 200);
      assert.equal(byGlobal.body.organizationId, world.organizationId);

      const noKey = await fetch(`${world.url}/sso/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: fresh }) });
      assert.equal(noKey.status, 401);
      assert.equal(((await noKey.json()) as { error: { code: string } }).error.code, 'unauthenticated');

      // The code may come as a form, too.
      const form = (await signIn(world, connection, { response: person('ada') })).code!;
      const byForm = await fetch(`${world.url}/sso/token`, {
        method: 'POST',
        headers: { authorization: `Bearer ${world.apiKey}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ code: form }).toString(),
      });
      assert.equal(byForm.status, 200);
      assert.equal(byForm.headers.get('cache-control'), 'no-store');
    });

    test('unregistered redirect_uri is refused without redirecting', async () => {
      for (const redirect of ['https://evil.example/cb', `${APP_CALLBACK}?next=x`, `${APP_CALLBACK}/`, APP_CALLBACK.toUpperCase(), '']) {
        const r = await authorize(world, { organization: world.domain, connection: connection.id, redirect_uri: redirect, state: 's' });
        assert.equal(r.status, 400, redirect);
        assert.equal(r.location, null, redirect);
        assert.match(r.headers.get('content-type')!, /^text\/html/);
        assert.ok(!r.html.includes('evil.example'), 'the unregistered URL is not echoed as a link');
      }
    });

    test('authorize finds the organization by id, email domain or login_hint, and needs exactly one active connection', async () => {
      const org = await world.app.scimitar.admin.createOrganization({ name: 'Solo' });
      const { directory } = await world.app.scimitar.admin.createDirectory({ organizationId: org.id, provider: 'entra' });
      const soloWorld = { ...world, organizationId: org.id, directoryId: directory.id };
      await world.app.scimitar.store.sso.setDomains(org.id, ['solo.test'], world.clock.now().toISOString());

      const noConnection = await authorize(world, { organization: org.id, redirect_uri: APP_CALLBACK });
      assert.equal(noConnection.status, 400);
      assert.match(noConnection.html, /no active single sign-on connection/);

      const only = await addConnection(soloWorld);
      for (const params of [{ organization: org.id }, { organization: 'solo.test' }, { organization: 'SOLO.test' }, { login_hint: 'someone@solo.test' }] as Record<string, string>[]) {
        const r = await authorize(world, { ...params, redirect_uri: APP_CALLBACK });
        assert.equal(r.status, 302, `${JSON.stringify(params)}: ${r.html}`);
        assert.equal(decodeAuthnRequest(r.location!).issuer, spUrls(world, only.id).entityId);
      }

      await addConnection(soloWorld, { status: 'inactive' });
      assert.equal((await authorize(world, { organization: 'solo.test', redirect_uri: APP_CALLBACK })).status, 302, 'an inactive connection does not count');
      await addConnection(soloWorld);
      const two = await authorize(world, { organization: 'solo.test', redirect_uri: APP_CALLBACK });
      assert.equal(two.status, 400);
      assert.match(two.html, /2 active single sign-on connections/);
      assert.equal((await authorize(world, { organization: 'solo.test', connection: only.id, redirect_uri: APP_CALLBACK })).status, 302);
      // Another organization's connection is not reachable through this one.
      assert.equal((await authorize(world, { organization: 'solo.test', connection: connection.id, redirect_uri: APP_CALLBACK })).status, 400);

      for (const params of [{ organization: 'nobody.test' }, {}, { organization: org.id, state: 'x'.repeat(1025) }] as Record<string, string>[]) {
        const r = await authorize(world, { ...params, connection: only.id, redirect_uri: APP_CALLBACK });
        assert.equal(r.status, 400, JSON.stringify(params));
        assert.equal(r.location, null);
      }
    });

    test('a connection that wants signed AuthnRequests gets them signed with its SP key', async () => {
      const signing = await addConnection(world, { wantAuthnRequestsSigned: true });
      const r = await authorize(world, { organization: world.domain, connection: signing.id, redirect_uri: APP_CALLBACK });
      assert.equal(r.status, 302);
      const request = decodeAuthnRequest(r.location!);
      assert.equal(request.sigAlg, 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
      assert.ok(request.signature);
      assert.ok(verify('sha256', Buffer.from(request.signedQuery), testKeys().sp.certificatePem, Buffer.from(request.signature!, 'base64')));
    });

    test('GET /sso/metadata/{id} serves the SP metadata', async () => {
      const signing = await addConnection(world, { wantAuthnRequestsSigned: true });
      const urls = spUrls(world, signing.id);
      const r = await fetch(`${world.url}/sso/metadata/${signing.id}`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type')!, /^application\/samlmetadata\+xml/);
      const xml = await r.text();
      assert.ok(xml.includes(`entityID="${urls.entityId}"`));
      assert.ok(xml.includes(`Location="${urls.acsUrl}"`));
      assert.ok(xml.includes('AuthnRequestsSigned="true"'));
      assert.ok(xml.includes(testKeys().sp.certificateBase64));
      assert.ok(xml.includes('nameid-format:emailAddress'));

      const plain = await (await fetch(`${world.url}/sso/metadata/${connection.id}`)).text();
      assert.ok(plain.includes('AuthnRequestsSigned="false"'));
      assert.equal((await fetch(`${world.url}/sso/metadata/conn_nope`)).status, 404);
      assert.equal((await fetch(`${world.url}/sso/metadata/${connection.id}`, { method: 'POST' })).status, 405);
    });
  });
}
