/**
 * The portal's single sign-on screens over real HTTP, on every dialect: adding a SAML connection
 * the three ways (metadata XML pasted, metadata URL read from a local server, values typed in) and
 * the refusals that create nothing; the connection page's values equal to what the ACS checks;
 * "Read from URL" again after a rollover; settings, certificates, the sign-in policy and domains;
 * sign-ins through the test IdP listed in the sign-in log, failures with reason, want/got and fix,
 * found by the reference the person saw; tenancy (404) and anti-forgery (403).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newCorrelationId, newSsoId } from '../../src/app/sso/sign-in-values.js';
import type { SsoConnection } from '../../src/domain/sso.js';
import { fixFor } from '../../src/portal/pages/sso-attempts.js';
import { dialects } from '../support/databases.js';
import { PortalClient } from '../support/portal.js';
import { createTestKeyPair } from '../support/saml-idp.js';
import { APP_CALLBACK, APP_HOME, attempts, signIn, startSsoWorld, type SsoWorld } from '../support/sso.js';
import { startMetadataServer, type MetadataServer } from '../sso-connections/helpers.js';

const CORRELATION = /\b([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})\b/;

const decode = (text: string) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#96;/g, '`').replace(/&amp;/g, '&');
/** The visible text of a page, one space between words. */
const textOf = (html: string) =>
  decode(html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .replace(/ ([,.;:)])/g, '$1');
/** The value of the read-only copy field with this id. */
const copyValue = (html: string, id: string) => decode(new RegExp(`<input id="${id}" type="text" readonly value="([^"]*)"`).exec(html)?.[1] ?? '');
const rowsOf = (html: string) => html.match(/<tr class="log-row[^"]*" id="att_[^"]+"/g) ?? [];

test('each common sign-in failure has a one-line fix in Okta terms (docs/okta-saml.md "Troubleshooting")', () => {
  const context = { spEntityId: 'https://sso.example.com/sso/metadata/sso_1', acsUrl: 'https://sso.example.com/sso/acs/sso_1', fromUrl: true, setupHref: '/portal/o/org_1/sso/sso_1', policyHref: '/portal/o/org_1/sso#policy' };
  const codes = [
    'audience_mismatch', 'recipient_mismatch', 'destination_mismatch', 'issuer_mismatch', 'certificate_untrusted', 'signature_invalid', 'weak_algorithm',
    'unsolicited_not_allowed', 'user_deactivated', 'user_not_provisioned', 'expired', 'not_yet_valid', 'replayed', 'in_response_to_mismatch',
  ];
  for (const code of codes) {
    const fix = fixFor(code, context);
    assert.ok(fix, `${code} has a fix`);
    assert.doesNotMatch(fix.value, /\n/, `${code}: one line`);
  }
  assert.match(textOf(fixFor('audience_mismatch', context)!.value), /Audience URI \(SP Entity ID\) to https:\/\/sso\.example\.com\/sso\/metadata\/sso_1/);
  assert.match(textOf(fixFor('recipient_mismatch', context)!.value), /Single sign-on URL to https:\/\/sso\.example\.com\/sso\/acs\/sso_1 and keep Use this for Recipient URL and Destination URL checked/);
  assert.match(textOf(fixFor('weak_algorithm', context)!.value), /RSA-SHA256/);
  assert.match(textOf(fixFor('certificate_untrusted', context)!.value), /Read from URL/);
  assert.match(textOf(fixFor('certificate_untrusted', { ...context, fromUrl: false })!.value), /Download certificate/);
  assert.equal(fixFor('malformed', context), null, 'no fix to offer for a response Okta does not send');
});

for (const dialect of await dialects()) {
  describe(`portal single sign-on screens (${dialect.name})`, { skip: dialect.skip }, () => {
    let world: SsoWorld;
    let metadata: MetadataServer;
    let portal: PortalClient;
    let org: string;
    let base: string;
    let otherOrg: string;
    let otherConnection: string;
    /** The connection made from pasted XML: the one people sign in through. */
    let connection: SsoConnection;
    let urlConnection: SsoConnection;

    const sessionFor = async (organizationId: string): Promise<PortalClient> => {
      const client = new PortalClient(world.url);
      const link = await world.app.scimitar.admin.createPortalLink({ organizationId });
      const opened = await client.openSetupLink(link.url);
      assert.equal(opened.status, 303);
      return client;
    };
    const connectionsOf = async (organizationId: string) => world.app.scimitar.store.sso.listConnections(organizationId);
    const stored = async (id: string) => (await world.app.scimitar.store.sso.findConnection(id))!;
    /** Posts the "Add a SAML connection" form; returns the answer and, after a 303, the new connection. */
    const add = async (form: Record<string, string>) => {
      await portal.get(`${base}/sso`);
      const answer = await portal.post(`${base}/sso/connections`, { _csrf: portal.csrf, ...form });
      const location = answer.headers.get('location');
      const id = location ? /\/sso\/([^/?]+)\?done=created$/.exec(location)?.[1] : undefined;
      return { ...answer, location, connection: id ? await stored(decodeURIComponent(id)) : undefined };
    };

    before(async () => {
      world = await startSsoWorld(dialect.name);
      metadata = await startMetadataServer(world.idp.metadataXml());
      org = world.organizationId;
      base = `/portal/o/${org}`;
      portal = await sessionFor(org);
      otherOrg = (await world.app.scimitar.admin.createOrganization({ name: 'Globex' })).id;
      otherConnection = (
        await world.app.scimitar.sso.createConnection({
          organizationId: otherOrg,
          fields: { ssoUrl: 'https://globex.okta.example/sso', entityId: 'http://www.okta.com/exkglobex', certificates: [world.idp.key.certificatePem] },
        })
      ).id;
    });
    after(async () => {
      await metadata?.close();
      await world?.close();
    });

    test('the organization links to Single sign-on, which offers the three ways to add a connection and the sign-in policy', async () => {
      const home = await portal.get(base);
      assert.equal(home.status, 200);
      assert.match(textOf(home.html), /Single sign-on No SAML connection yet/);
      assert.ok(home.html.includes(`href="${base}/sso#add"`));

      const page = await portal.get(`${base}/sso`);
      assert.equal(page.status, 200, page.html);
      const text = textOf(page.html);
      for (const phrase of ['Add a SAML connection', 'Metadata URL', 'Read from URL', 'Upload metadata XML', 'Paste the metadata XML', 'Enter fields', 'SSO URL', 'IdP entity ID', 'Allow sign-in from the IdP dashboard (IdP-initiated)', 'Sign-in policy', 'Email domains']) {
        assert.ok(text.includes(phrase), `the page says "${phrase}"`);
      }
      assert.match(page.html, /<input type="radio" id="policy-jit" name="policy" value="jit"[^>]* checked>/);
      assert.ok(page.html.includes(world.domain), 'the domain is listed');
      // Every form control has a label.
      for (const id of page.html.matchAll(/<(?:input|textarea|select) [^>]*id="([^"]+)"/g)) {
        assert.ok(page.html.includes(`for="${id[1]}"`), `#${id[1]} is labelled`);
      }
      assert.doesNotMatch(page.html, /\sstyle=/, 'no inline style (CSP)');
    });

    test('a connection from pasted metadata XML: its page shows the ACS URL and Audience URI the ACS checks, and the Okta steps', async () => {
      const created = await add({ source: 'xml', metadataXml: world.idp.metadataXml(), redirectUrls: `${APP_CALLBACK}\n${APP_HOME}\n` });
      assert.equal(created.status, 303, created.html);
      assert.ok(created.connection, `redirected to the connection: ${created.location}`);
      connection = created.connection;
      assert.equal(connection.organizationId, org);
      assert.equal(connection.metadataSource, 'xml');
      assert.equal(connection.idpEntityId, world.idp.entityId);
      assert.equal(connection.idpSsoUrl, world.idp.ssoUrl);
      assert.deepEqual(connection.idpCertificates, [world.idp.key.certificateBase64]);
      assert.deepEqual(connection.redirectUrls, [APP_CALLBACK, APP_HOME]);
      assert.equal(connection.name, 'Okta');
      assert.equal(connection.directoryId, world.directoryId, 'users are matched in the organization’s directory');

      const page = await portal.get(created.location!);
      assert.equal(page.status, 200, page.html);
      const sp = (await world.app.scimitar.sso.getConnection({ connectionId: connection.id })).sp;
      assert.equal(copyValue(page.html, 'sp-acs-url'), sp.acsUrl);
      assert.equal(copyValue(page.html, 'sp-entity-id'), sp.spEntityId);
      assert.equal(copyValue(page.html, 'sp-metadata-url'), sp.spMetadataUrl);
      assert.equal(copyValue(page.html, 'sp-name-id-format'), sp.nameIdFormat);
      assert.equal(sp.acsUrl, `${world.url}/sso/acs/${connection.id}`);
      assert.ok(page.html.includes('data-copy="sp-acs-url"') && page.html.includes('data-copy="sp-entity-id"'), 'copy buttons');
      const text = textOf(page.html);
      assert.match(text, /The connection is created/);
      for (const phrase of ['What to enter in Okta', 'Set up Okta', 'Create App Integration', 'Audience URI (SP Entity ID)', 'Attribute Statements', 'user.email', 'firstName', 'lastName', 'Default RelayState']) {
        assert.ok(text.includes(phrase), `the page says "${phrase}"`);
      }
      assert.ok(page.html.includes(`href="${base}/sso/${connection.id}/attempts"`), 'the guide links to the sign-in log');
      assert.ok(page.html.includes(world.idp.key.fingerprintSha256.toUpperCase().match(/.{2}/g)!.join(':')), 'the certificate fingerprint');
      assert.match(text, /Valid until 2034-01-01|Valid until 20\d\d/);
      assert.doesNotMatch(page.html, /\sstyle=/);
      for (const id of page.html.matchAll(/<(?:input|textarea|select) [^>]*id="([^"]+)"/g)) {
        assert.ok(page.html.includes(`for="${id[1]}"`), `#${id[1]} is labelled`);
      }
      // The list shows it with its IdP, status and certificate.
      const list = textOf((await portal.get(`${base}/sso`)).html);
      assert.match(list, new RegExp(`Okta ${world.idp.entityId.replace(/\./g, '\\.')} Active`));
      assert.match(list, /No sign-in yet/);
    });

    test('the Add form shows the ACS URL and Audience URI first (Okta asks for them before its metadata exists), and the connection keeps them', async () => {
      const form = await portal.get(`${base}/sso`);
      const reserved = /name="connection_id" value="(sso_[0-9a-z]{26})"/.exec(form.html)?.[1];
      assert.ok(reserved, 'the form carries a reserved connection id');
      const shownAcs = copyValue(form.html, 'add-acs-url');
      const shownEntityId = copyValue(form.html, 'add-entity-id-sp');
      assert.equal(shownAcs, `${world.url}/sso/acs/${reserved}`);
      assert.equal(shownEntityId, `${world.url}/sso/metadata/${reserved}`);
      const created = await portal.post(`${base}/sso/connections`, { _csrf: portal.csrf, connection_id: reserved, source: 'xml', metadataXml: world.idp.metadataXml(), redirectUrls: APP_CALLBACK });
      assert.equal(created.status, 303, created.html);
      const view = await world.app.scimitar.sso.getConnection({ connectionId: reserved });
      assert.equal(view.sp.acsUrl, shownAcs, 'what Okta was given is what the ACS checks');
      assert.equal(view.sp.spEntityId, shownEntityId);
      const again = await portal.post(`${base}/sso/connections`, { _csrf: portal.csrf, connection_id: reserved, source: 'xml', metadataXml: world.idp.metadataXml(), redirectUrls: APP_CALLBACK });
      assert.equal(again.status, 409, 'a second submit of the same form creates nothing');
      const forged = await portal.post(`${base}/sso/connections`, { _csrf: portal.csrf, connection_id: 'sso_../../x', source: 'xml', metadataXml: world.idp.metadataXml() });
      assert.equal(forged.status, 400);
      await world.app.scimitar.sso.deleteConnection({ connectionId: reserved });
    });

    test('a connection from a metadata URL, then "Read from URL" again shows the certificate Okta added, and Remove drops the old one', async () => {
      const created = await add({ source: 'url', metadataUrl: metadata.url, name: 'Okta (URL)' });
      assert.equal(created.status, 303, created.html);
      urlConnection = created.connection!;
      assert.equal(urlConnection.metadataSource, 'url');
      assert.equal(urlConnection.metadataUrl, metadata.url);
      assert.equal(urlConnection.name, 'Okta (URL)');
      const reads = metadata.reads();

      // Okta rotates: its metadata lists the next certificate too.
      const next = createTestKeyPair('Okta next');
      metadata.set(world.idp.metadataXml({ extraCertificates: [next.certificateBase64] }));
      const href = `${base}/sso/${urlConnection.id}`;
      const page = await portal.get(href);
      assert.match(textOf(page.html), /Read from URL/);
      const refreshed = await portal.post(`${href}/refresh`, { _csrf: portal.csrf });
      assert.equal(refreshed.status, 200, refreshed.html);
      assert.equal(metadata.reads(), reads + 1);
      const nextFingerprint = next.fingerprintSha256.toUpperCase().match(/.{2}/g)!.join(':');
      assert.match(textOf(refreshed.html), new RegExp(`What changed: Certificate added: ${nextFingerprint}`));
      assert.deepEqual((await stored(urlConnection.id)).idpCertificates, [world.idp.key.certificateBase64, next.certificateBase64]);

      // Nothing changed the second time.
      const again = await portal.post(`${href}/refresh`, { _csrf: portal.csrf });
      assert.match(textOf(again.html), /nothing changed/);

      // Two certificates: each has a Remove button; removing the old one keeps the new one.
      assert.equal((again.html.match(/>Remove<\/button>/g) ?? []).length, 2);
      const removed = await portal.post(`${href}/certificates/remove`, { _csrf: portal.csrf, fingerprint: world.idp.key.fingerprintSha256 });
      assert.equal(removed.status, 303);
      assert.equal(removed.headers.get('location'), `${href}?done=certificate_removed`);
      assert.deepEqual((await stored(urlConnection.id)).idpCertificates, [next.certificateBase64]);
      const after = await portal.get(href);
      assert.equal((after.html.match(/>Remove<\/button>/g) ?? []).length, 0, 'the last certificate cannot be removed');

      // A metadata URL that answers an HTML page: refused in words, nothing changed.
      metadata.set('<!doctype html><html><body>Sign in</body></html>');
      const broken = await portal.post(`${href}/refresh`, { _csrf: portal.csrf });
      assert.equal(broken.status, 400);
      assert.match(textOf(broken.html), /The metadata was not read; nothing changed\. .*HTML page/);
      assert.deepEqual((await stored(urlConnection.id)).idpCertificates, [next.certificateBase64]);
      metadata.set(world.idp.metadataXml());
    });

    test('a connection from typed-in fields; a certificate can be added; Enter in a field picks the way that was filled in', async () => {
      const created = await add({ source: 'fields', ssoUrl: 'https://idp.example/sso', entityId: 'https://idp.example/entity', certificate: world.idp.key.certificatePem, name: 'Typed' });
      assert.equal(created.status, 303, created.html);
      const typed = created.connection!;
      assert.equal(typed.metadataSource, 'fields');
      assert.equal(typed.idpSsoUrl, 'https://idp.example/sso');
      assert.equal(typed.idpEntityId, 'https://idp.example/entity');

      const href = `${base}/sso/${typed.id}`;
      await portal.get(href);
      const extra = createTestKeyPair('Typed next');
      const added = await portal.post(`${href}/certificates`, { _csrf: portal.csrf, certificate: extra.certificatePem });
      assert.equal(added.status, 303);
      assert.deepEqual((await stored(typed.id)).idpCertificates, [world.idp.key.certificateBase64, extra.certificateBase64]);
      const badCertificate = await portal.post(`${href}/certificates`, { _csrf: portal.csrf, certificate: 'not a certificate' });
      assert.equal(badCertificate.status, 400);
      assert.match(textOf(badCertificate.html), /The certificate was not added\. The certificate is neither PEM nor base64/);
      assert.ok(badCertificate.html.includes('>not a certificate</textarea>'), 'the input is kept');

      // Values typed in can be corrected.
      const corrected = await portal.post(`${href}/idp`, { _csrf: portal.csrf, ssoUrl: 'https://idp.example/sso2', entityId: 'https://idp.example/entity2' });
      assert.equal(corrected.status, 303);
      assert.equal((await stored(typed.id)).idpSsoUrl, 'https://idp.example/sso2');

      // The browser submits "Read from URL" (the first button) when Enter is pressed in the XML or a field.
      const implicit = await add({ source: 'url', metadataXml: world.idp.metadataXml(), name: 'Implicit' });
      assert.equal(implicit.status, 303, implicit.html);
      assert.equal(implicit.connection!.metadataSource, 'xml');
      for (const id of [typed.id, implicit.connection!.id]) await world.app.scimitar.sso.deleteConnection({ connectionId: id });
    });

    test('bad input is refused with 400, the message and the input kept, and nothing is created', async () => {
      const before = (await connectionsOf(org)).length;
      const cases: { form: Record<string, string>; message: RegExp; kept?: string }[] = [
        { form: { source: 'xml', metadataXml: 'hello, not XML' }, message: /The metadata XML: it is not XML/, kept: '>hello, not XML</textarea>' },
        { form: { source: 'url', metadataUrl: `${metadata.base}/html` }, message: /The metadata URL did not return usable SAML metadata: it is an HTML page/, kept: `value="${metadata.base}/html"` },
        { form: { source: 'url', metadataUrl: `${metadata.base}/missing` }, message: /Could not read the metadata URL: the server answered 404/ },
        { form: { source: 'fields', ssoUrl: 'https://idp.example/sso', entityId: 'x', certificate: 'MIIB-broken' }, message: /Certificate 1: the certificate is neither PEM nor base64/ },
        { form: { source: 'fields', ssoUrl: 'https://idp.example/sso' }, message: /Enter the SSO URL, the IdP entity ID and the certificate/ },
        { form: { source: 'url' }, message: /one of the three ways/ },
        {
          form: { source: 'xml', metadataXml: world.idp.metadataXml(), redirectUrls: 'http://evil.example/callback' },
          message: /Redirect URL 1 must be an https:\/\/ URL \(http:\/\/ only for localhost and 127\.0\.0\.1\)/,
          kept: '>http://evil.example/callback</textarea>',
        },
        { form: { source: 'xml', metadataXml: world.idp.metadataXml(), redirectUrls: APP_CALLBACK, defaultRedirectUrl: APP_HOME }, message: /The default redirect URL must be one of/ },
      ];
      for (const c of cases) {
        const answer = await add(c.form);
        assert.equal(answer.status, 400, `${JSON.stringify(c.form).slice(0, 80)}: ${answer.status}`);
        const text = textOf(answer.html);
        assert.match(text, /The connection was not created\./);
        assert.match(text, c.message);
        if (c.kept) assert.ok(answer.html.includes(c.kept), `the input is kept: ${c.kept}`);
      }
      assert.equal((await connectionsOf(org)).length, before, 'nothing was created');
    });

    test('settings changes persist: name, redirect URLs, IdP-initiated with its default redirect, inactive; a wrong default is refused', async () => {
      const href = `${base}/sso/${connection.id}`;
      await portal.get(href);
      const saved = await portal.post(`${href}/settings`, {
        _csrf: portal.csrf,
        name: 'Okta <SSO>',
        redirectUrls: `${APP_CALLBACK}\r\n${APP_HOME}\r\nhttps://host-app.example/other\r\n`,
        defaultRedirectUrl: APP_HOME,
        allowIdpInitiated: '1',
        status: 'inactive',
      });
      assert.equal(saved.status, 303, saved.html);
      assert.equal(saved.headers.get('location'), `${href}?done=saved`);
      let now = await stored(connection.id);
      assert.equal(now.name, 'Okta <SSO>');
      assert.deepEqual(now.redirectUrls, [APP_CALLBACK, APP_HOME, 'https://host-app.example/other']);
      assert.equal(now.defaultRedirectUrl, APP_HOME);
      assert.equal(now.allowIdpInitiated, true);
      assert.equal(now.status, 'inactive');

      const page = await portal.get(href);
      assert.ok(page.html.includes('Okta &lt;SSO&gt;') && !page.html.includes('Okta <SSO>'), 'the name is escaped');
      assert.match(page.html, /id="opt-idp-initiated" name="allowIdpInitiated" value="1" checked>/);
      assert.equal(copyValue(page.html, 'sp-relay-state'), APP_HOME, 'Default RelayState to enter in Okta');
      assert.match(textOf(page.html), /switched off/);

      // The default must be one of the redirect URLs: refused, the typed values kept, nothing changed.
      const wrong = await portal.post(`${href}/settings`, { _csrf: portal.csrf, name: 'Renamed', redirectUrls: APP_CALLBACK, defaultRedirectUrl: 'https://host-app.example/nowhere', status: 'active' });
      assert.equal(wrong.status, 400);
      assert.match(textOf(wrong.html), /The settings were not saved\. The default redirect URL must be one of/);
      assert.ok(wrong.html.includes('value="Renamed"'));
      assert.deepEqual(await stored(connection.id), now);

      // Back to a working connection for the sign-ins below; IdP-initiated off again.
      const restored = await portal.post(`${href}/settings`, { _csrf: portal.csrf, name: 'Okta', redirectUrls: `${APP_CALLBACK}\n${APP_HOME}`, defaultRedirectUrl: '', status: 'active' });
      assert.equal(restored.status, 303);
      now = await stored(connection.id);
      assert.equal(now.allowIdpInitiated, false);
      assert.equal(now.defaultRedirectUrl, null);
      assert.equal(now.status, 'active');
      connection = now;
    });

    test('the sign-in policy and email domains are saved; a domain of another organization is refused', async () => {
      await portal.get(`${base}/sso`);
      const saved = await portal.post(`${base}/sso/settings`, { _csrf: portal.csrf, policy: 'scim_only', domains: `${world.domain}\nAcme-Example.COM\n` });
      assert.equal(saved.status, 303, saved.html);
      assert.deepEqual(await world.app.scimitar.sso.getSettings({ organizationId: org }), { organizationId: org, policy: 'scim_only', domains: ['acme-example.com', world.domain].sort() });
      const page = await portal.get(`${base}/sso?done=settings`);
      assert.match(page.html, /id="policy-scim_only" name="policy" value="scim_only"[^>]* checked>/);
      assert.match(textOf(page.html), /The sign-in settings are saved/);

      await world.app.scimitar.sso.updateSettings({ organizationId: otherOrg, domains: ['globex.example'] });
      const taken = await portal.post(`${base}/sso/settings`, { _csrf: portal.csrf, policy: 'jit', domains: `${world.domain}\nglobex.example` });
      assert.equal(taken.status, 409);
      assert.match(textOf(taken.html), /The sign-in settings were not saved\. globex\.example is already claimed by another organization/);
      const invalid = await portal.post(`${base}/sso/settings`, { _csrf: portal.csrf, policy: 'jit', domains: 'not a domain!' });
      assert.equal(invalid.status, 400);
      assert.equal((await world.app.scimitar.sso.getSettings({ organizationId: org })).policy, 'scim_only', 'nothing changed');

      const restored = await portal.post(`${base}/sso/settings`, { _csrf: portal.csrf, policy: 'jit', domains: world.domain });
      assert.equal(restored.status, 303);
    });

    test('sign-ins appear in the sign-in log; a failure shows reason, want/got and the fix, and its reference finds it', async () => {
      const ok = await signIn(world, connection);
      assert.ok(ok.code, ok.acs.html);
      const wrongAudience = await signIn(world, connection, { response: { audience: 'https://other-app.example/saml' } });
      assert.equal(wrongAudience.acs.status, 400);
      const audienceRef = CORRELATION.exec(wrongAudience.acs.html)![1]!;
      const attacker = await signIn(world, connection, { response: { key: 'attacker', nameId: 'mallory@example.com' } });
      const attackerRef = CORRELATION.exec(attacker.acs.html)![1]!;

      const logged = await attempts(world, connection.id);
      const success = logged.find((a) => a.outcome === 'succeeded')!;
      assert.ok(success.userId);
      const logHref = `${base}/sso/${connection.id}/attempts`;
      const log = await portal.get(logHref);
      assert.equal(log.status, 200, log.html);
      assert.equal(rowsOf(log.html).length, 3);
      // Newest first.
      assert.ok(log.html.indexOf(attackerRef) < log.html.indexOf(audienceRef) && log.html.indexOf(audienceRef) < log.html.indexOf(success.correlationId));
      const text = textOf(log.html);
      assert.match(text, /SP-initiated started in the app Succeeded ada@example\.com/);
      const userLink = `${base}/d/${world.directoryId}/users/${success.userId}`;
      assert.ok(log.html.includes(`href="${userLink}"`), 'the user links to their page in the directory');
      assert.equal((await portal.get(userLink)).status, 200);

      const sp = (await world.app.scimitar.sso.getConnection({ connectionId: connection.id })).sp;
      assert.match(text, new RegExp(`Reason: audience_mismatch — .* Expected ${sp.spEntityId.replace(/[./]/g, '\\$&')} Received https://other-app\\.example/saml`));
      assert.match(text, /How to fix it: In Okta, open the app's General tab, SAML Settings, Edit, and set Audience URI \(SP Entity ID\) to/);
      assert.match(text, new RegExp(`Reason: certificate_untrusted .* Received sha256:${world.idp.attackerKey.fingerprintSha256}`));

      // The reference the person read out, in any case and spacing.
      for (const q of [audienceRef, audienceRef.toLowerCase().replace(/-/g, ' ')]) {
        const found = await portal.get(`${logHref}?q=${encodeURIComponent(q)}`);
        assert.equal(rowsOf(found.html).length, 1, `q=${q}`);
        assert.ok(found.html.includes(audienceRef));
        assert.ok(!found.html.includes(attackerRef));
      }
      // An email finds that person's attempts (a refused response's NameID is not trusted, so not logged); failures only hides the success.
      assert.equal(rowsOf((await portal.get(`${logHref}?q=ADA%40example.com`)).html).length, 1);
      const failures = await portal.get(`${logHref}?failures=1`);
      assert.equal(rowsOf(failures.html).length, 2);
      assert.ok(!failures.html.includes(success.correlationId));
      const none = await portal.get(`${logHref}?q=ZZZZ-ZZZZ-ZZZZ`);
      assert.equal(rowsOf(none.html).length, 0);
      assert.match(textOf(none.html), /No sign-in attempt matches ZZZZ-ZZZZ-ZZZZ/);

      // From the Single sign-on page: the reference leads to the connection's log.
      const jump = await portal.get(`${base}/sso?q=${encodeURIComponent(attackerRef)}`);
      assert.equal(jump.status, 303);
      assert.equal(jump.headers.get('location'), `${logHref}?q=${attackerRef}`);
      const list = textOf((await portal.get(`${base}/sso`)).html);
      assert.match(list, /Failed .* certificate_untrusted/);
    });

    test('the sign-in log pages by 50 with Older and Newest', async () => {
      const at = world.clock.now();
      for (let i = 0; i < 60; i++) {
        await world.app.scimitar.store.sso.recordAttempt({
          id: newSsoId('att', new Date(at.getTime() + 1000 + i)),
          connectionId: connection.id,
          at: new Date(at.getTime() + 1000 + i).toISOString(),
          correlationId: newCorrelationId(),
          flow: 'idp_initiated',
          outcome: 'failed',
          failureCode: 'unsolicited_not_allowed',
          detail: 'IdP-initiated sign-in is not allowed.',
          want: 'a response to a sign-in we started',
          got: 'an unsolicited response',
          subject: `bulk${i}@example.com`,
          userId: null,
          clientIp: '127.0.0.1',
        });
      }
      const logHref = `${base}/sso/${connection.id}/attempts`;
      const first = await portal.get(logHref);
      assert.equal(rowsOf(first.html).length, 50);
      assert.match(textOf(first.html), /IdP-initiated started from the IdP dashboard Failed bulk59@example\.com/);
      assert.match(textOf(first.html), /How to fix it: The person started from the Okta dashboard/);
      const older = /href="([^"]+)" rel="next">Older<\/a>/.exec(first.html)?.[1];
      assert.ok(older, 'an Older link');
      const second = await portal.get(decode(older));
      assert.equal(rowsOf(second.html).length, 13);
      assert.match(second.html, />Newest<\/a>/);
      assert.match(textOf(second.html), /No older attempts/);
      const ids = [...first.html.matchAll(/id="(att_[^"]+)"/g), ...second.html.matchAll(/id="(att_[^"]+)"/g)].map((m) => m[1]);
      assert.equal(new Set(ids).size, 63, 'no attempt on both pages');
    });

    test("another organization's session gets 404 on this organization's screens, and this one on the other's connection", async () => {
      const other = await sessionFor(otherOrg);
      assert.equal((await other.get(`${base}/sso`)).status, 404);
      assert.equal((await other.get(`${base}/sso/${connection.id}`)).status, 404);
      assert.equal((await other.get(`${base}/sso/${connection.id}/attempts`)).status, 404);
      assert.equal((await other.get(`/portal/o/${otherOrg}/sso`)).status, 200);

      const foreign = `${base}/sso/${otherConnection}`;
      assert.equal((await portal.get(foreign)).status, 404);
      assert.equal((await portal.get(`${foreign}/attempts`)).status, 404);
      const before = await stored(otherConnection);
      await portal.get(`${base}/sso`);
      for (const [action, form] of [
        ['settings', { name: 'Taken over', redirectUrls: 'https://evil.example/cb', status: 'inactive' }],
        ['certificates', { certificate: world.idp.attackerKey.certificatePem }],
        ['refresh', {}],
        ['delete', {}],
      ] as const) {
        const answer = await portal.post(`${foreign}/${action}`, { _csrf: portal.csrf, ...form });
        assert.equal(answer.status, 404, action);
      }
      assert.deepEqual(await stored(otherConnection), before, 'nothing changed');
    });

    test('a POST without the anti-forgery token is refused with 403 and changes nothing', async () => {
      const before = await connectionsOf(org);
      const settings = await world.app.scimitar.sso.getSettings({ organizationId: org });
      const href = `${base}/sso/${connection.id}`;
      const posts: [string, Record<string, string>][] = [
        [`${base}/sso/connections`, { source: 'xml', metadataXml: world.idp.metadataXml() }],
        [`${base}/sso/settings`, { policy: 'scim_only', domains: 'evil.example' }],
        [`${href}/settings`, { name: 'Forged', redirectUrls: 'https://evil.example/cb', status: 'inactive', allowIdpInitiated: '1' }],
        [`${href}/certificates`, { certificate: world.idp.attackerKey.certificatePem }],
        [`${href}/delete`, {}],
      ];
      for (const [path, form] of posts) {
        assert.equal((await portal.post(path, form)).status, 403, path);
        assert.equal((await portal.post(path, { ...form, _csrf: 'wrong' })).status, 403, path);
      }
      assert.deepEqual(await connectionsOf(org), before);
      assert.deepEqual(await world.app.scimitar.sso.getSettings({ organizationId: org }), settings);
    });

    test('deleting a connection (after its confirmation) removes it; the directory and users stay', async () => {
      const href = `${base}/sso/${urlConnection.id}`;
      const page = await portal.get(href);
      assert.match(page.html, /<form method="post" action="[^"]+\/delete" data-confirm="Delete the connection/);
      const deleted = await portal.post(`${href}/delete`, { _csrf: portal.csrf });
      assert.equal(deleted.status, 303);
      assert.equal(deleted.headers.get('location'), `${base}/sso?done=deleted`);
      assert.equal(await world.app.scimitar.store.sso.findConnection(urlConnection.id), undefined);
      assert.equal((await portal.get(href)).status, 404);
      assert.ok(await world.app.scimitar.store.directories.findById(world.directoryId));
    });
  });
}
