/**
 * The portal under test: a Scimitar instance (library mode) on a loopback node:http server whose
 * public URL is its real address, so setup links and redirects point at it. Plus a cookie-jar
 * session over fetch: open a setup link or sign in to the console like a browser would.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createScimitar, type Scimitar, type ScimitarOptions } from '../../src/runtime/create-scimitar.js';
import { createTestDatabase, type DialectName, type TestDatabase } from './databases.js';
import { ScimClient } from './scim-client.js';

export interface PortalApp {
  url: string;
  scimitar: Scimitar;
  database: TestDatabase;
  /** A SCIM client for a directory, with the given token. */
  scimClient(directoryId: string, token: string): ScimClient;
  close(): Promise<void>;
}

export async function startPortalApp(dialect: DialectName, options: Partial<ScimitarOptions> = {}): Promise<PortalApp> {
  const database = await createTestDatabase(dialect);
  let handler: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const scimitar = await createScimitar({ database: database.url, publicUrl: url, delivery: { enabled: false }, maintenance: false, ...options });
  handler = (req, res) => scimitar.node(req, res);
  return {
    url,
    scimitar,
    database,
    scimClient: (directoryId, token) => new ScimClient(`${url}/scim/v2/${directoryId}`, token),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await scimitar.close();
      await database.drop();
    },
  };
}

/** A browser-like client: keeps cookies, does not follow redirects, reads the page's anti-forgery token. */
export class PortalClient {
  private readonly cookies = new Map<string, string>();
  /** The `_csrf` value of the last HTML page read. */
  csrf = '';

  constructor(readonly baseUrl: string) {}

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  async get(path: string): Promise<{ status: number; headers: Headers; html: string }> {
    return this.send('GET', path);
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; html: string }> {
    return this.send('POST', path, new URLSearchParams(form).toString(), { 'content-type': 'application/x-www-form-urlencoded', ...headers });
  }

  async send(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
    const url = path.startsWith('http') ? path : this.baseUrl + path;
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(url, { method, body, redirect: 'manual', headers: { ...(cookie ? { cookie } : {}), ...headers } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/Max-Age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const html = await response.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html);
    if (csrf) this.csrf = csrf[1]!;
    return { status: response.status, headers: response.headers, html };
  }

  /** Opens a setup link like the IT administrator: the landing page, then "Continue to setup". */
  async openSetupLink(linkUrl: string): Promise<{ status: number; location: string | null; html: string }> {
    const landing = await this.get(linkUrl);
    if (landing.status !== 200) return { status: landing.status, location: null, html: landing.html };
    const result = await this.post(linkUrl, { _csrf: this.csrf });
    return { status: result.status, location: result.headers.get('location'), html: result.html };
  }

  /** Signs in to the developer console. */
  async signIn(email: string, password: string): Promise<{ status: number; location: string | null; html: string }> {
    await this.get('/portal/login');
    const result = await this.post('/portal/login', { _csrf: this.csrf, email, password });
    return { status: result.status, location: result.headers.get('location'), html: result.html };
  }
}

/** The text of a page as a person reads it: tags removed, entities decoded, spaces collapsed. */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
