/**
 * Single sign-on end to end in headless Chromium: the IT administrator opens a setup link, goes to
 * Single sign-on, pastes the Okta app's metadata XML, registers the host app's redirect URL and
 * copies the ACS URL and Audience URI; then a person signs in through the same browser. Okta is not
 * a web page here: the browser's request to the IdP's SSO URL is intercepted and answered with the
 * auto-submitting form Okta would send, carrying a Response the test IdP signs for the decoded
 * AuthnRequest. The host app (a tiny local server) receives code and state and redeems the code.
 * A response signed by another key ends on the plain error page, whose reference the sign-in log
 * finds. Screens are saved under test-output/screenshots (sso-01…).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { browserSkipReason, launchBrowser, screenshot } from '../support/browser.js';
import { startPortalApp, type PortalApp } from '../support/portal.js';
import { createTestIdp, type TestIdp } from '../support/saml-idp.js';
import { decodeAuthnRequest, testKeys } from '../support/sso.js';

const skip = browserSkipReason();
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const CORRELATION = /^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The host app: its callback shows the code and state it received, as a real app's would before redeeming. */
async function startHostApp(): Promise<{ url: string; callback: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host-app');
    if (url.pathname !== '/callback') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
    const code = url.searchParams.get('code') ?? '';
    const state = url.searchParams.get('state') ?? '';
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(`<!doctype html><html lang="en"><head><title>Host app</title></head><body><h1>Signed in to the host app</h1><p>code: <code id="code">${escapeHtml(code)}</code></p><p>state: <code id="state">${escapeHtml(state)}</code></p></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    callback: `${url}/callback`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('single sign-on in Chromium (IT administrator connects Okta SAML, a person signs in)', { skip }, () => {
  let app: PortalApp;
  let hostApp: Awaited<ReturnType<typeof startHostApp>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let idp: TestIdp;
  let organizationId: string;
  let connectionId: string;
  /** How the intercepted "Okta" signs its next Response. */
  let signWith: 'idp' | 'attacker' = 'idp';
  /** The Location of each /sso/authorize 302, as our server sent it. */
  const redirectsToIdp: string[] = [];
  const consoleProblems: string[] = [];

  /**
   * Playwright never routes a request the browser makes by following a redirect (by design:
   * microsoft/playwright#3993), so the 302 of /sso/authorize would reach the real, unresolvable
   * Okta host. The server's answer is fetched as is and replayed as a page that navigates to the
   * same Location: that navigation is a request of its own, which the "Okta" route answers.
   */
  async function replayRedirect(route: Route): Promise<void> {
    const response = await route.fetch({ maxRedirects: 0 });
    const location = response.headers()['location'];
    if (response.status() !== 302 || !location) return route.fulfill({ response });
    redirectsToIdp.push(location);
    await route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><title>Redirecting</title></head><body><script>location.replace(${JSON.stringify(location).replace(/</g, '\\u003c')})</script></body></html>`,
    });
  }

  /** Okta's side of the HTTP-Redirect binding: read the AuthnRequest, answer with the auto-submitting HTTP-POST form. */
  async function answerAsOkta(route: Route): Promise<void> {
    const request = decodeAuthnRequest(route.request().url());
    const samlResponse = idp.response({
      now: new Date(),
      audience: request.issuer,
      recipient: request.acsUrl,
      nameId: 'ada@acme.example',
      inResponseTo: request.id,
      attributes: { email: ['ada@acme.example'], firstName: ['Ada'], lastName: ['Lovelace'] },
      key: signWith,
    });
    await route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><title>Okta</title></head><body onload="document.forms[0].submit()">
<form method="post" action="${escapeHtml(request.acsUrl)}"><input type="hidden" name="SAMLResponse" value="${escapeHtml(samlResponse)}">${
        request.relayState ? `<input type="hidden" name="RelayState" value="${escapeHtml(request.relayState)}">` : ''
      }<noscript><button type="submit">Continue</button></noscript></form></body></html>`,
    });
  }

  before(async () => {
    app = await startPortalApp('sqlite');
    hostApp = await startHostApp();
    const keys = testKeys();
    idp = createTestIdp({ style: 'okta', key: keys.idp, attackerKey: keys.attacker });
    organizationId = (await app.scimitar.admin.createOrganization({ name: 'Acme Corp' })).id;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    await context.route((url) => url.href.startsWith(`${app.url}/sso/authorize?`), replayRedirect);
    await context.route((url) => url.href.startsWith(idp.ssoUrl), answerAsOkta);
    page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) consoleProblems.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => consoleProblems.push(error.message));
  });

  after(async () => {
    await browser?.close();
    await hostApp?.close();
    await app?.close();
  });

  test('the administrator pastes the metadata XML, adds a redirect URL, and copies the ACS URL and Audience URI', async () => {
    const link = await app.scimitar.admin.createPortalLink({ organizationId });
    await page.goto(link.url);
    await page.getByRole('button', { name: 'Continue to setup' }).click();
    await page.getByRole('heading', { name: 'Acme Corp' }).waitFor();

    await page.getByRole('link', { name: 'Add a SAML connection' }).click();
    await page.getByRole('heading', { name: 'Single sign-on', level: 1 }).waitFor();
    await page.getByLabel('Redirect URLs of the app').fill(hostApp.callback);
    await page.getByLabel('Paste the metadata XML').fill(idp.metadataXml());
    await page.getByRole('button', { name: 'Use this XML' }).click();
    await page.waitForURL(/\/sso\/sso_[^/?]+\?done=created$/);
    connectionId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByRole('heading', { name: 'What to enter in Okta' }).waitFor();
    assert.match((await page.textContent('main')) ?? '', /The connection is created/);

    const acsUrl = `${app.url}/sso/acs/${connectionId}`;
    const entityId = `${app.url}/sso/metadata/${connectionId}`;
    assert.equal(await page.locator('#sp-acs-url').inputValue(), acsUrl);
    assert.equal(await page.locator('#sp-entity-id').inputValue(), entityId);
    await page.getByRole('button', { name: /^Copy ACS URL/ }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), acsUrl);
    await page.locator('button[data-copy="sp-entity-id"]').click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), entityId);
    assert.equal(await page.locator('button[data-copy="sp-entity-id"]').getAttribute('aria-label'), 'Copy Audience URI (SP Entity ID)');

    const stored = await app.scimitar.sso.getConnection({ connectionId, organizationId });
    assert.deepEqual(stored.redirectUrls, [hostApp.callback]);
    assert.equal(stored.idpEntityId, idp.entityId);
    assert.equal(stored.sp.acsUrl, acsUrl);
    await screenshot(page, 'sso-01-connection');
  });

  test('a person signs in from the host app: Okta answers, the host app gets code and state, and the code redeems to the profile', async () => {
    signWith = 'idp';
    const start = `${app.url}/sso/authorize?${new URLSearchParams({ organization: organizationId, redirect_uri: hostApp.callback, state: 'xyz' })}`;
    await page.goto(start);
    await page.waitForURL((url) => url.href.startsWith(hostApp.callback));
    assert.equal(redirectsToIdp.length, 1);
    assert.ok(redirectsToIdp[0]!.startsWith(`${idp.ssoUrl}?SAMLRequest=`), 'our server sent the browser to the IdP with an AuthnRequest');
    await page.getByRole('heading', { name: 'Signed in to the host app' }).waitFor();
    const code = (await page.locator('#code').textContent()) ?? '';
    assert.match(code, /^scimitar_code_/);
    assert.equal(await page.locator('#state').textContent(), 'xyz');

    const { key } = await app.scimitar.admin.createApiKey({ organizationId });
    const redeemed = await fetch(`${app.url}/sso/token`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    assert.equal(redeemed.status, 200);
    const profile = await redeemed.json();
    assert.equal(profile.organizationId, organizationId);
    assert.equal(profile.connectionId, connectionId);
    assert.equal(profile.subject, 'ada@acme.example');
    assert.equal(profile.email, 'ada@acme.example');
    assert.equal(profile.firstName, 'Ada');
    assert.equal(profile.lastName, 'Lovelace');
    assert.equal(profile.provisioning, 'created');
    const again = await fetch(`${app.url}/sso/token`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    assert.equal(again.status, 400, 'a code works once');

    await page.goto(`${app.url}/portal/o/${organizationId}/sso/${connectionId}/attempts`);
    await page.getByRole('heading', { name: /Okta/, level: 1 }).waitFor();
    const log = (await page.textContent('main')) ?? '';
    assert.match(log, /SP-initiated/);
    assert.match(log, /Succeeded/);
    assert.match(log, /ada@acme\.example/);
    // The user links to their page in the directory.
    await page.getByRole('link', { name: profile.userId }).click();
    await page.waitForURL(new RegExp(`/users/${profile.userId}$`));
    assert.match((await page.textContent('main')) ?? '', /ada@acme\.example/);
    await page.goBack();
    await screenshot(page, 'sso-02-attempts');
  });

  test('a response signed by another key ends on the plain error page; its reference finds the attempt, the reason and the fix', async () => {
    signWith = 'attacker';
    const start = `${app.url}/sso/authorize?${new URLSearchParams({ organization: organizationId, redirect_uri: hostApp.callback, state: 'abc' })}`;
    await page.goto(start);
    await page.getByRole('heading', { name: 'Sign-in failed' }).waitFor();
    assert.ok(page.url().startsWith(`${app.url}/sso/acs/${connectionId}`), page.url());
    const reference = ((await page.locator('code').textContent()) ?? '').trim();
    assert.match(reference, CORRELATION);
    const errorText = (await page.textContent('body')) ?? '';
    assert.match(errorText, /quote this reference/);
    assert.doesNotMatch(errorText, /scimitar_code_|urn:oasis|certificate_untrusted|sha256:/, 'the person sees plain words and the reference only');
    await screenshot(page, 'sso-03-error');
    signWith = 'idp';

    await page.goto(`${app.url}/portal/o/${organizationId}/sso/${connectionId}/attempts`);
    await page.getByLabel('Reference or email').fill(reference.toLowerCase());
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/\?q=/);
    const rows = page.locator('tr.log-row');
    assert.equal(await rows.count(), 1);
    const found = (await page.textContent('main')) ?? '';
    assert.ok(found.includes(reference));
    assert.match(found, /certificate_untrusted/);
    assert.ok(found.includes(`sha256:${idp.attackerKey.fingerprintSha256}`), 'the received certificate fingerprint');
    assert.match(found, /How to fix it/);
    await screenshot(page, 'sso-04-attempt-found');

    // The organization's Single sign-on page: the connection, its certificate, the last (failed) sign-in.
    await page.goto(`${app.url}/portal/o/${organizationId}/sso`);
    const list = (await page.textContent('main')) ?? '';
    assert.match(list, /Failed/);
    assert.match(list, /certificate_untrusted/);
    await screenshot(page, 'sso-06-single-sign-on');
  });

  test('no page broke the Content-Security-Policy or threw a script error', () => {
    // The refused sign-in answers 400 (expected): not a page problem.
    assert.deepEqual(consoleProblems.filter((m) => !/status of (400|404)/.test(m)), []);
  });

  test('the single sign-on screens pass the axe-core WCAG 2 A/AA checks', async () => {
    const audit = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    await audit.addCookies(await context.cookies());
    const checker = await audit.newPage();
    const base = `/portal/o/${organizationId}`;
    const screens = [base, `${base}/sso`, `${base}/sso/${connectionId}`, `${base}/sso/${connectionId}/attempts`, `${base}/sso/${connectionId}/attempts?failures=1`];
    const problems: string[] = [];
    for (const url of screens) {
      await checker.goto(app.url + url);
      await checker.addScriptTag({ path: AXE_SCRIPT });
      const result = await checker.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ passes: unknown[]; violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
        const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
        return { passed: r.passes.length, found: r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`) };
      });
      assert.ok(result.passed >= 10, `axe ran its checks on ${url}`);
      for (const v of result.found) problems.push(`${url}: ${v}`);
    }
    await audit.close();
    assert.deepEqual(problems, []);
  });

  test('the connection page is readable on a phone, without JavaScript and without horizontal scrolling', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, javaScriptEnabled: false });
    await phone.addCookies(await context.cookies());
    const small = await phone.newPage();
    for (const path of [`/sso`, `/sso/${connectionId}`, `/sso/${connectionId}/attempts`]) {
      await small.goto(`${app.url}/portal/o/${organizationId}${path}`);
      const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `no horizontal scrolling on ${path} (overflow ${overflow}px)`);
    }
    await small.goto(`${app.url}/portal/o/${organizationId}/sso/${connectionId}`);
    assert.equal(await small.locator('#sp-acs-url').inputValue(), `${app.url}/sso/acs/${connectionId}`, 'the value is there to select by hand');
    await screenshot(small, 'sso-05-phone-connection');
    await phone.close();
  });
});
