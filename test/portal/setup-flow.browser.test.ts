/**
 * The IT administrator's whole journey in headless Chromium: open the setup link, choose Okta,
 * generate the token, let Okta provision with it, watch users and groups arrive, read an error
 * explained in the request log, rotate and revoke the token, switch the directory off and see
 * SCIM refused. Every screen is saved under test-output/screenshots.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserSkipReason, launchBrowser, screenshot } from '../support/browser.js';
import { startPortalApp, type PortalApp } from '../support/portal.js';
import { GROUP_URN, PATCH_OP, oktaUser } from '../support/scim-client.js';

const skip = browserSkipReason();
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

describe('setup portal in Chromium (IT administrator connects Okta)', { skip }, () => {
  let app: PortalApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let organizationId: string;
  let directoryId: string;
  let firstToken: string;
  let secondToken: string;
  let aliceId: string;
  /** Messages Chromium logged: a Content-Security-Policy violation or a script error fails the suite. */
  const consoleProblems: string[] = [];

  before(async () => {
    app = await startPortalApp('sqlite');
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) consoleProblems.push(message.text());
    });
    page.on('pageerror', (error) => consoleProblems.push(error.message));
    const org = await app.scimitar.admin.createOrganization({ name: 'Acme Corp' });
    organizationId = org.id;
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  test('the setup link opens a session for its organization, once', async () => {
    const link = await app.scimitar.admin.createPortalLink({ organizationId });
    await page.goto(link.url);
    await page.getByRole('heading', { name: 'Connect your identity provider' }).waitFor();
    await screenshot(page, '01-setup-link');
    await page.getByRole('button', { name: 'Continue to setup' }).click();
    await page.getByRole('heading', { name: 'Acme Corp' }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/portal/o/${organizationId}`);
    await screenshot(page, '02-choose-provider');

    const second = await context.newPage();
    const reuse = await second.goto(link.url);
    assert.equal(reuse?.status(), 410);
    assert.match((await second.textContent('h1')) ?? '', /already used/);
    await second.close();
  });

  test('choosing Okta shows the numbered guide; Generate token shows the token once with a copy button', async () => {
    await page.getByLabel('Okta').check();
    await page.getByRole('button', { name: 'Configure' }).click();
    await page.getByRole('heading', { name: 'Set up Okta' }).waitFor();
    directoryId = new URL(page.url()).pathname.split('/').pop()!;
    assert.match(directoryId, /^dir_/);
    const text = (await page.textContent('main')) ?? '';
    for (const phrase of ['SCIM 2.0 Test App (OAuth Bearer Token)', 'Test API Credentials', 'Create Users', 'Update User Attributes', 'Deactivate Users', 'Sync Password', 'Push Groups']) {
      assert.ok(text.includes(phrase), `the Okta guide names "${phrase}"`);
    }
    assert.match(text, /Waiting for Okta/);
    await screenshot(page, '03-okta-guide');

    await page.getByRole('button', { name: 'Generate token' }).first().click();
    const tokenField = page.locator('input[readonly][value^="scimitar_scim_"]');
    await tokenField.waitFor();
    firstToken = await tokenField.inputValue();
    assert.match((await page.textContent('main')) ?? '', /shown only/i);
    await screenshot(page, '04-token-shown-once');
    await page.setViewportSize({ width: 1200, height: 1300 });
    await screenshot(page, 'readme-okta-token-step', { fullPage: false });
    await page.setViewportSize({ width: 1280, height: 900 });

    // The copy button puts the exact base URL on the clipboard.
    const baseUrl = await page.locator('#okta-base-url').inputValue();
    assert.equal(baseUrl, `${app.url}/scim/v2/${directoryId}`);
    await page.getByRole('button', { name: /Copy Base URL/ }).click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), baseUrl);

    // Reloading does not show the token again.
    await page.goto(`${app.url}/portal/o/${organizationId}/d/${directoryId}`);
    assert.equal((await page.content()).includes(firstToken), false);
  });

  test('Okta provisions with the token: users and groups appear, a hostile displayName stays text', async () => {
    const okta = app.scimClient(directoryId, firstToken);
    const alice = await okta.post('/Users', oktaUser('alice@acme.example', { title: 'Engineer' }));
    assert.equal(alice.status, 201);
    aliceId = alice.body.id;
    const bob = await okta.post('/Users', oktaUser('bob@acme.example', { displayName: '<script>window.__pwned = 1</script>Bob' }));
    assert.equal(bob.status, 201);
    const group = await okta.post('/Groups', { schemas: [GROUP_URN], displayName: 'Engineering', members: [] });
    assert.equal(group.status, 201);
    const push = await okta.patch(`/Groups/${group.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: [{ value: aliceId }, { value: bob.body.id }] }],
    });
    assert.equal(push.status, 204);
    const deactivate = await okta.patch(`/Users/${aliceId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
    assert.equal(deactivate.status, 200);

    await page.goto(`${app.url}/portal/o/${organizationId}/d/${directoryId}`);
    assert.match((await page.textContent('main')) ?? '', /Connected/);
    await screenshot(page, '05-connected');

    await page.getByRole('navigation', { name: 'Directory sections' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('link', { name: /alice/ }).first().waitFor();
    const users = (await page.textContent('main')) ?? '';
    assert.match(users, /alice@acme\.example/);
    assert.match(users, /bob@acme\.example/);
    assert.ok(users.includes('<script>window.__pwned = 1</script>Bob'), 'the displayName is shown as text');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    await screenshot(page, '06-users');

    await page.getByRole('link', { name: /alice/ }).first().click();
    const user = (await page.textContent('main')) ?? '';
    assert.match(user, /Engineering/);
    assert.match(user, /PATCH/);
    await screenshot(page, '07-user-history');

    await page.getByRole('navigation', { name: 'Directory sections' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('link', { name: 'Engineering' }).waitFor();
    await screenshot(page, '08-groups');
  });

  test('an error Okta hit is explained in the request log with its fix', async () => {
    const okta = app.scimClient(directoryId, firstToken);
    assert.equal((await okta.post('/Users', oktaUser('alice@acme.example'))).status, 409);
    assert.equal((await app.scimClient(directoryId, 'scimitar_scim_mistyped').get('/Users')).status, 401);

    await page.goto(`${app.url}/portal/o/${organizationId}/d/${directoryId}/log?errors=1`);
    const log = (await page.textContent('main')) ?? '';
    assert.match(log, /409/);
    assert.match(log, /already (taken|exists|has)/i);
    assert.match(log, /401/);
    assert.match(log, /token/i);
    await screenshot(page, '09-request-log-errors');
    await page.setViewportSize({ width: 1200, height: 1150 });
    await screenshot(page, 'readme-request-log', { fullPage: false });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('rotating keeps the old token for the grace period; revoking it refuses it at once', async () => {
    await page.goto(`${app.url}/portal/o/${organizationId}/d/${directoryId}/credentials`);
    assert.match((await page.textContent('main')) ?? '', /Valid token: yes/);
    await page.getByRole('button', { name: 'Rotate token' }).click();
    const tokenField = page.locator('#new-token');
    await tokenField.waitFor();
    secondToken = await tokenField.inputValue();
    assert.notEqual(secondToken, firstToken);
    await screenshot(page, '10-token-rotated');
    assert.equal((await app.scimClient(directoryId, firstToken).get('/Users')).status, 200, 'old token works during the grace period');
    assert.equal((await app.scimClient(directoryId, secondToken).get('/Users')).status, 200);

    await page.goto(`${app.url}/portal/o/${organizationId}/d/${directoryId}/credentials`);
    const oldRow = page.locator('tr', { hasText: firstToken.slice(0, 20) });
    await oldRow.getByRole('button', { name: /Revoke/ }).click();
    await page.waitForURL(/done=revoked/);
    assert.equal((await app.scimClient(directoryId, firstToken).get('/Users')).status, 401);
    assert.equal((await app.scimClient(directoryId, secondToken).get('/Users')).status, 200);
    await screenshot(page, '11-credentials');
  });

  test('switching the directory off refuses SCIM calls; switching on resumes them', async () => {
    await page.goto(`${app.url}/portal/o/${organizationId}/d/${directoryId}`);
    await page.getByRole('switch').click();
    await page.waitForURL(/done=deactivated/);
    assert.match((await page.textContent('main')) ?? '', /Inactive/);
    await screenshot(page, '12-switched-off');
    assert.equal((await app.scimClient(directoryId, secondToken).get('/Users')).status, 403);
    await page.getByRole('switch').click();
    await page.waitForURL(/done=activated/);
    assert.equal((await app.scimClient(directoryId, secondToken).get('/Users')).status, 200);
  });

  test('the mapping screen previews who gains a role before saving', async () => {
    await page.goto(`${app.url}/portal/o/${organizationId}/d/${directoryId}/mapping`);
    await page.getByLabel('Group name, mapping 1').fill('Engineering');
    await page.getByLabel('Role, mapping 1').fill('Developer');
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const preview = (await page.textContent('main')) ?? '';
    assert.match(preview, /Gain a role \(2\)/);
    assert.match(preview, /alice@acme\.example/);
    assert.match(preview, /bob@acme\.example/);
    assert.deepEqual([...(await app.scimitar.store.roles.rolesOf(directoryId, [aliceId])).values()].flat(), [], 'preview saved nothing');
    await screenshot(page, '13-mapping-preview');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/done=saved/);
    assert.match((await page.textContent('main')) ?? '', /2 roles were granted/);
    assert.deepEqual(await app.scimitar.store.roles.rolesOf(directoryId, [aliceId]), new Map([[aliceId, ['Developer']]]));
  });

  test('no page broke the Content-Security-Policy or threw a script error', () => {
    // 410 for the reused link and 401s are expected statuses, not page problems.
    assert.deepEqual(consoleProblems.filter((m) => !/status of (401|404|410)/.test(m)), []);
  });

  test('every screen passes the axe-core WCAG 2 A/AA checks (labels, contrast, landmarks, names)', async () => {
    // axe is injected as a script, which the portal's policy rightly forbids: this context bypasses it.
    const audit = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    await audit.addCookies(await context.cookies());
    const checker = await audit.newPage();
    const base = `${app.url}/portal/o/${organizationId}/d/${directoryId}`;
    const screens = [`/portal/o/${organizationId}`, base, `${base}/credentials`, `${base}/users`, `${base}/users/${aliceId}`, `${base}/groups`, `${base}/log`, `${base}/log?errors=1`, `${base}/mapping`];
    const problems: string[] = [];
    for (const url of screens) {
      await checker.goto(app.url + url.replace(app.url, ''));
      await checker.addScriptTag({ path: AXE_SCRIPT });
      const violations = await checker.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ passes: unknown[]; violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
        const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
        return { passed: result.passes.length, found: result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`) };
      });
      assert.ok(violations.passed >= 10, `axe ran its checks on ${url} (${violations.passed} passed)`);
      for (const v of violations.found) problems.push(`${url.replace(base, '<dir>')}: ${v}`);
    }
    await audit.close();
    assert.deepEqual(problems, []);
  });

  test('the setup guide can be driven with the keyboard alone', async () => {
    await page.goto(`${app.url}/portal/o/${organizationId}`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content', 'the first Tab reaches the skip link');
    // Tab to the provider choice and the Configure button without a mouse.
    let reached = '';
    for (let i = 0; i < 30 && reached !== 'Configure'; i++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate(() => document.activeElement?.textContent?.trim())) ?? '';
    }
    assert.equal(reached, 'Configure');
  });

  test('pages are readable on a phone and without JavaScript', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, javaScriptEnabled: false });
    await phone.addCookies(await context.cookies());
    const small = await phone.newPage();
    await small.goto(`${app.url}/portal/o/${organizationId}/d/${directoryId}`);
    await small.getByRole('heading', { name: 'Set up Okta' }).waitFor();
    const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
    await screenshot(small, '14-phone-setup');
    await small.goto(`${app.url}/portal/o/${organizationId}/d/${directoryId}/users`);
    assert.match((await small.textContent('main')) ?? '', /alice@acme\.example/);
    await phone.close();
  });
});
