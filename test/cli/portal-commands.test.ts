/**
 * `scimitar portal-link` and `scimitar admin create|set-password|list`, run as a developer runs
 * them: a separate process against the database of a running server, whose portal then accepts
 * the printed setup link (once) and the printed console password.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolveConfig } from '../../src/config/config.js';
import { startServer, type RunningServer } from '../../src/runtime/server.js';
import { createTestDatabase, dialects, type TestDatabase } from '../support/databases.js';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(databaseUrl: string, publicUrl: string, args: string[], stdin?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, SCIMITAR_PUBLIC_URL: publicUrl },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** Cookies of one browser, and requests that do not follow redirects. */
function browser(base: string) {
  const cookies = new Map<string, string>();
  const request = async (method: 'GET' | 'POST', url: string, form?: Record<string, string>) => {
    const headers: Record<string, string> = {};
    if (cookies.size) headers['cookie'] = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url.startsWith('http') ? url : `${base}${url}`, { method, headers, body: form ? new URLSearchParams(form).toString() : undefined, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const pair = cookie.split(';')[0]!;
      cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    return { status: response.status, location: response.headers.get('location'), text: await response.text() };
  };
  return { cookies, get: (url: string) => request('GET', url), post: (url: string, form: Record<string, string>) => request('POST', url, form) };
}

async function signIn(base: string, email: string, password: string) {
  const b = browser(base);
  assert.equal((await b.get('/portal/login')).status, 200);
  const reply = await b.post('/portal/login', { email, password, _csrf: b.cookies.get('scimitar_presession')! });
  return { ...reply, session: b.cookies.get('scimitar_session'), browser: b };
}

for (const { name, skip } of await dialects()) {
  describe(`scimitar portal-link and admin commands on ${name}`, { skip }, () => {
    let db: TestDatabase;
    let server: RunningServer;
    let serverUrl: string;
    const run = (args: string[], stdin?: string) => cli(db.url, serverUrl, args, stdin);
    const json = async (args: string[], stdin?: string) => {
      const result = await run([...args, '--json'], stdin);
      assert.equal(result.code, 0, result.stderr);
      return JSON.parse(result.stdout);
    };

    before(async () => {
      db = await createTestDatabase(name);
      const config = resolveConfig({ host: '127.0.0.1', databaseUrl: db.url, logLevel: 'silent', publicUrl: 'http://127.0.0.1' }, {});
      server = await startServer({ ...config, port: 0 });
      const address = server.app.server.address();
      // The CLI builds links from SCIMITAR_PUBLIC_URL: the running server's address.
      serverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    after(async () => {
      await server?.close();
      await db?.drop();
    });

    test('portal-link prints a setup link, with what it opens, single use and expiry; the link works once', async () => {
      const org = await json(['org', 'create', 'Acme']);
      const result = await run(['portal-link', '--org', org.id]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /opens the setup portal for this organization only/);
      assert.match(result.stdout, /works once/);
      assert.match(result.stdout, /expires at \d{4}-\d\d-\d\dT/);
      assert.match(result.stdout, /shown only this once/);
      const urls = result.stdout.match(/http:\/\/\S+/g) ?? [];
      assert.equal(urls.length, 1, 'the URL is printed once');
      const url = urls[0]!;
      assert.ok(url.startsWith(`${serverUrl}/portal/link/scimitar_setup_`), url);

      const b = browser(serverUrl);
      const landing = await b.get(url);
      assert.equal(landing.status, 200);
      assert.match(landing.text, /Acme/);
      const opened = await b.post(url, { _csrf: b.cookies.get('scimitar_presession')! });
      assert.equal(opened.status, 303);
      assert.equal(opened.location, `/portal/o/${org.id}`);
      assert.equal((await b.get(opened.location!)).status, 200);

      // Used: a second browser gets "already used" on the landing page and cannot redeem it.
      const second = browser(serverUrl);
      const used = await second.get(url);
      assert.equal(used.status, 410);
      assert.match(used.text, /already used/);
      await second.get('/portal/login'); // a valid anti-forgery cookie, so only the link's state decides
      const again = await second.post(url, { _csrf: second.cookies.get('scimitar_presession')! });
      assert.equal(again.status, 410);
      assert.ok(!second.cookies.has('scimitar_session'));
    });

    test('portal-link --expires-in and --json; errors are one line with the right exit code', async () => {
      const org = await json(['org', 'create', 'Expiry']);
      const started = Date.now();
      const link = await json(['portal-link', '--org', org.id, '--expires-in', '2']);
      assert.deepEqual(Object.keys(link).sort(), ['expiresAt', 'id', 'organizationId', 'url']);
      assert.equal(link.organizationId, org.id);
      const ms = Date.parse(link.expiresAt) - started;
      assert.ok(ms > 1.9 * 3_600_000 && ms < 2.1 * 3_600_000, `${ms} ms`);
      assert.equal((await fetch(link.url)).status, 200);

      const missing = await run(['portal-link', '--org', 'org_missing']);
      assert.equal(missing.code, 3);
      assert.equal(missing.stderr.trim(), 'error: organization org_missing does not exist');
      const notANumber = await run(['portal-link', '--org', org.id, '--expires-in', 'soon']);
      assert.equal(notANumber.code, 1);
      assert.match(notANumber.stderr, /--expires-in <hours>.*expected a number of hours/);
      const tooLong = await run(['portal-link', '--org', org.id, '--expires-in', '1000']);
      assert.equal(tooLong.code, 1);
      assert.equal(tooLong.stderr.trim(), 'error: a setup link must expire between 1 minute and 30 days from now');
      assert.equal((await server.scimitar.store.portal.listLinks(org.id)).length, 1, 'only the good link was created');
    });

    test('admin create generates a strong password, prints it once with the console address, and it signs in', async () => {
      const result = await run(['admin', 'create', '--email', 'dev@example.com']);
      assert.equal(result.code, 0, result.stderr);
      const password = /Password: (\S+)/.exec(result.stdout)?.[1];
      assert.ok(password && password.length >= 20, 'a long generated password');
      assert.equal(result.stdout.split(password).length - 1, 1, 'printed once');
      assert.match(result.stdout, /shown only this once/);
      assert.ok(result.stdout.includes(`${serverUrl}/portal/login`), 'says where the console is');

      const signedIn = await signIn(serverUrl, 'dev@example.com', password);
      assert.equal(signedIn.status, 303);
      assert.equal(signedIn.location, '/portal/console');
      assert.ok(signedIn.session?.startsWith('scimitar_session_'));
      assert.equal((await signedIn.browser.get('/portal/console')).status, 200);
      assert.equal((await signIn(serverUrl, 'dev@example.com', `${password}x`)).status, 401);

      const again = await run(['admin', 'create', '--email', 'dev@example.com']);
      assert.equal(again.code, 1);
      assert.equal(again.stderr.trim(), 'error: an admin login for dev@example.com already exists');
    });

    test('admin create --password-stdin reads the password from stdin; --json; admin list never shows a hash', async () => {
      const password = 'a long passphrase from a pipe';
      const created = await json(['admin', 'create', '--email', 'piped@example.com', '--password-stdin'], `${password}\n`);
      assert.match(created.id, /^adm_/);
      assert.equal(created.email, 'piped@example.com');
      assert.equal(created.password, undefined, 'a given password is not echoed');
      assert.equal(created.loginUrl, `${serverUrl}/portal/login`);
      assert.equal((await signIn(serverUrl, 'piped@example.com', password)).status, 303, 'the final newline is not part of the password');

      const short = await run(['admin', 'create', '--email', 'short@example.com', '--password-stdin'], 'short\n');
      assert.equal(short.code, 1);
      assert.equal(short.stderr.trim(), 'error: the password must have at least 12 characters');
      const badEmail = await run(['admin', 'create', '--email', 'not-an-email']);
      assert.equal(badEmail.code, 1);
      assert.equal(badEmail.stderr.trim(), 'error: "not-an-email" is not an email address');

      const list = await json(['admin', 'list']);
      assert.ok(list.some((a: any) => a.email === 'piped@example.com'));
      assert.ok(!list.some((a: any) => a.email === 'short@example.com'));
      assert.deepEqual(Object.keys(list[0]).sort(), ['createdAt', 'email', 'id', 'lastLoginAt']);
      const text = await run(['admin', 'list']);
      assert.equal(text.code, 0);
      assert.match(text.stdout, /piped@example\.com/);
      assert.doesNotMatch(text.stdout, /scrypt/);
      assert.ok(text.stdout.includes(`${serverUrl}/portal/login`));
    });

    test('admin set-password changes the password, read from stdin', async () => {
      const old = 'the first password of this login';
      const next = 'the second password of this login';
      await json(['admin', 'create', '--email', 'rotate@example.com', '--password-stdin'], old);
      const changed = await run(['admin', 'set-password', '--email', 'rotate@example.com', '--password-stdin'], `${next}\n`);
      assert.equal(changed.code, 0, changed.stderr);
      assert.ok(changed.stdout.includes(`${serverUrl}/portal/login`));
      assert.equal((await signIn(serverUrl, 'rotate@example.com', old)).status, 401);
      assert.equal((await signIn(serverUrl, 'rotate@example.com', next)).status, 303);
      const unknown = await run(['admin', 'set-password', '--email', 'nobody@example.com', '--password-stdin'], next);
      assert.equal(unknown.code, 3);
      const missingFlag = await run(['admin', 'set-password', '--email', 'rotate@example.com']);
      assert.equal(missingFlag.code, 1);
      assert.match(missingFlag.stderr, /--password-stdin/);
    });
  });
}
