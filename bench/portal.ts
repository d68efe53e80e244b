/**
 * Portal page times (`npm run bench -- --portal-only`, or part of the default run): a directory of
 * N users provisioned over SCIM HTTP (with group pushes and a few errors), then every portal screen
 * fetched repeatedly over loopback with a session cookie, as the browser does. Reports the median
 * and p95 server response time per screen; the budget is a page load under 1 s.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createScimitar } from '../src/runtime/create-scimitar.js';
import { DEFAULT_POSTGRES_URL, tempPostgres, tempSqlite } from './targets.js';

export interface PortalFigures {
  target: 'sqlite' | 'postgres';
  users: number;
  pages: { name: string; medianMs: number; p95Ms: number; bytes: number }[];
}

const ROUNDS = 30;

export async function runPortalBench(target: 'sqlite' | 'postgres', users: number): Promise<PortalFigures> {
  const db = target === 'sqlite' ? await tempSqlite() : await tempPostgres(process.env['BENCH_DATABASE_URL'] ?? DEFAULT_POSTGRES_URL, `scimitar_bench_portal_${process.pid}`);
  let handler: http.RequestListener = (_q, s) => s.writeHead(503).end();
  const server = http.createServer((q, s) => handler(q, s));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const scimitar = await createScimitar({ database: db.url, publicUrl: url, delivery: { enabled: false }, maintenance: false });
  handler = scimitar.node;
  try {
    const org = await scimitar.admin.createOrganization({ name: 'Bench Org' });
    const created = await scimitar.admin.createDirectory({ organizationId: org.id, provider: 'okta' });
    const dir = created.directory.id;
    const scim = (method: string, path: string, body?: unknown) =>
      fetch(`${url}/scim/v2/${dir}${path}`, {
        method,
        headers: { authorization: `Bearer ${created.token}`, 'content-type': 'application/scim+json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: r.status === 204 ? undefined : ((await r.json()) as { id?: string }) }));

    const ids: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < users) {
          const i = next++;
          const r = await scim('POST', '/Users', {
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
            userName: `user${i}@bench.example`,
            name: { givenName: `User${i}`, familyName: 'Bench' },
            emails: [{ primary: true, value: `user${i}@bench.example`, type: 'work' }],
            active: true,
          });
          if (r.body?.id) ids[i] = r.body.id;
        }
      }),
    );
    const group = await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Everyone' });
    for (let i = 0; i < Math.min(users, 2000); i += 500) {
      await scim('PATCH', `/Groups/${group.body!.id}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'add', path: 'members', value: ids.slice(i, i + 500).map((value) => ({ value })) }],
      });
    }
    for (let i = 0; i < 50; i++) await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `user${i}@bench.example` });

    // A session as the IT administrator gets it: open a setup link.
    const link = await scimitar.admin.createPortalLink({ organizationId: org.id });
    const landing = await fetch(link.url);
    const pre = /scimitar_presession=([^;]+)/.exec(landing.headers.get('set-cookie') ?? '')![1]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await landing.text())![1]!;
    const opened = await fetch(link.url, { method: 'POST', redirect: 'manual', headers: { cookie: `scimitar_presession=${pre}`, 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${csrf}` });
    const cookie = /scimitar_session=([^;]+)/.exec(opened.headers.get('set-cookie') ?? '')![1]!;

    const base = `/portal/o/${org.id}/d/${dir}`;
    const middle = ids[Math.floor(users / 2)]!;
    const pages: [string, string][] = [
      ['organization', `/portal/o/${org.id}`],
      ['setup', base],
      ['credentials', `${base}/credentials`],
      ['users', `${base}/users`],
      ['users search', `${base}/users?q=user4242`],
      ['user', `${base}/users/${middle}`],
      ['groups', `${base}/groups`],
      ['group', `${base}/groups/${group.body!.id}`],
      ['request log', `${base}/log`],
      ['request log errors', `${base}/log?errors=1`],
      ['mapping', `${base}/mapping`],
    ];
    const figures: PortalFigures = { target, users, pages: [] };
    for (const [name, path] of pages) {
      const times: number[] = [];
      let bytes = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const started = performance.now();
        const response = await fetch(url + path, { headers: { cookie: `scimitar_session=${cookie}` } });
        const body = await response.text();
        times.push(performance.now() - started);
        if (response.status !== 200) throw new Error(`${name}: ${response.status}`);
        bytes = body.length;
      }
      times.sort((a, b) => a - b);
      figures.pages.push({ name, medianMs: round1(times[Math.floor(times.length / 2)]!), p95Ms: round1(times[Math.floor(times.length * 0.95)]!), bytes });
    }
    return figures;
  } finally {
    server.closeAllConnections();
    server.close();
    await scimitar.close();
    await db.drop();
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function portalTable(runs: PortalFigures[]): string {
  const lines = [`Portal pages (server response over loopback, ${ROUNDS} requests each): median / p95 ms`];
  const header = ['page', ...runs.map((r) => `${r.target} (${r.users} users)`), 'HTML size'];
  lines.push(header.join(' | '));
  for (let i = 0; i < runs[0]!.pages.length; i++) {
    const name = runs[0]!.pages[i]!.name;
    lines.push([name, ...runs.map((r) => `${r.pages[i]!.medianMs} / ${r.pages[i]!.p95Ms}`), `${Math.round(runs[0]!.pages[i]!.bytes / 1024)} KiB`].join(' | '));
  }
  return lines.join('\n');
}
