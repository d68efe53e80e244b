/**
 * SAML sign-in throughput (`npm run bench -- --sso-only`, or part of the default run): the whole
 * SP-initiated round trip over loopback HTTP — GET /sso/authorize, the IdP's signed Response
 * POSTed to the ACS (signature verification, replay record, user look-up or JIT create, events,
 * attempt row and code in one transaction), then POST /sso/token — at concurrency 4. First
 * sign-ins create users just in time; repeat sign-ins find them. The IdP is the test suite's
 * (test/support/saml-idp.ts), used here as a fixture: it signs with its own RSA key.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateRawSync } from 'node:zlib';
import { createScimitar } from '../src/runtime/create-scimitar.js';
import { createTestIdp, createTestKeyPair } from '../test/support/saml-idp.js';
import { DEFAULT_POSTGRES_URL, tempPostgres, tempSqlite } from './targets.js';

export interface SsoFigures {
  target: 'sqlite' | 'postgres';
  phases: { name: string; signIns: number; perSecond: number; medianMs: number; p95Ms: number }[];
}

const CONCURRENCY = 4;
const CALLBACK = 'http://127.0.0.1/callback';

export async function runSsoBench(target: 'sqlite' | 'postgres', signIns: number): Promise<SsoFigures> {
  const db = target === 'sqlite' ? await tempSqlite() : await tempPostgres(process.env['BENCH_DATABASE_URL'] ?? DEFAULT_POSTGRES_URL, `scimitar_bench_sso_${process.pid}`);
  let handler: http.RequestListener = (_q, s) => s.writeHead(503).end();
  const server = http.createServer((q, s) => handler(q, s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const scimitar = await createScimitar({ database: db.url, publicUrl: url, delivery: { enabled: false }, maintenance: false });
  handler = scimitar.node;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });
  try {
    const org = await scimitar.admin.createOrganization({ name: 'Bench Org' });
    await scimitar.admin.createDirectory({ organizationId: org.id, provider: 'okta' });
    const apiKey = (await scimitar.admin.createApiKey({ organizationId: org.id })).key;
    const idp = createTestIdp({ style: 'okta', key: createTestKeyPair('Bench IdP') });
    const connection = await scimitar.sso.createConnection({ organizationId: org.id, metadataXml: idp.metadataXml(), redirectUrls: [CALLBACK] });

    const request = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; location: string | undefined; body: string }>((resolve, reject) => {
        const req = http.request(`${url}${path}`, { method, agent, headers: body ? { 'content-length': Buffer.byteLength(body), ...headers } : headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: text }));
        });
        req.on('error', reject);
        req.end(body);
      });

    const signInOnce = async (n: number): Promise<number> => {
      const started = performance.now();
      const authorize = await request('GET', `/sso/authorize?organization=${org.id}&redirect_uri=${encodeURIComponent(CALLBACK)}&state=s${n}`);
      if (authorize.status !== 302 || !authorize.location) throw new Error(`authorize: ${authorize.status} ${authorize.body.slice(0, 200)}`);
      const idpUrl = new URL(authorize.location);
      const xml = inflateRawSync(Buffer.from(idpUrl.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
      const id = /\sID="([^"]+)"/.exec(xml)![1]!;
      const email = `person${n}@bench.example`;
      const saml = idp.response({
        now: new Date(),
        audience: connection.sp.spEntityId,
        recipient: connection.sp.acsUrl,
        nameId: email,
        inResponseTo: id,
        attributes: { email: [email], firstName: [`Person${n}`], lastName: ['Bench'] },
      });
      const form = new URLSearchParams({ SAMLResponse: saml, RelayState: idpUrl.searchParams.get('RelayState')! }).toString();
      const acs = await request('POST', `/sso/acs/${connection.id}`, form, { 'content-type': 'application/x-www-form-urlencoded' });
      if (acs.status !== 302 || !acs.location) throw new Error(`acs: ${acs.status} ${acs.body.slice(0, 300)}`);
      const code = new URL(acs.location).searchParams.get('code')!;
      const token = await request('POST', '/sso/token', JSON.stringify({ code }), { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` });
      if (token.status !== 200) throw new Error(`token: ${token.status} ${token.body}`);
      return performance.now() - started;
    };

    const phase = async (name: string, numbers: number[]) => {
      const times: number[] = [];
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < numbers.length) times.push(await signInOnce(numbers[next++]!));
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      times.sort((a, b) => a - b);
      return { name, signIns: numbers.length, perSecond: Math.round(numbers.length / seconds), medianMs: round1(times[Math.floor(times.length / 2)]!), p95Ms: round1(times[Math.floor(times.length * 0.95)]!) };
    };

    const people = Array.from({ length: signIns }, (_, i) => i);
    await phase('warm-up', people.slice(0, 20).map((n) => n + signIns));
    return { target, phases: [await phase('first sign-in (JIT create)', people), await phase('repeat sign-in', people)] };
  } finally {
    agent.destroy();
    server.closeAllConnections();
    server.close();
    await scimitar.close();
    await db.drop();
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function ssoTable(runs: SsoFigures[]): string {
  const lines = [`SAML sign-ins (authorize → ACS → token over loopback, concurrency ${CONCURRENCY}): sign-ins/s, median / p95 ms per sign-in`];
  for (const run of runs) for (const p of run.phases) lines.push(`${run.target} | ${p.name} | ${p.signIns} | ${p.perSecond}/s | ${p.medianMs} / ${p.p95Ms} ms`);
  return lines.join('\n');
}
