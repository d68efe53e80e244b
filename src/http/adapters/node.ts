/**
 * node:http adapter, also an Express/Connect middleware: `(req, res, next?)`. Under Express,
 * `app.use('/identity', scimitar.node)` works as is (Express strips the mount path from req.url).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from '../app-handler.js';
import { normalizeBasePath, stripBasePath } from './base-path.js';

async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    // Keep one byte past the limit so the core answers 413; drain the rest without keeping it.
    if (size <= maxBytes) chunks.push(size + buffer.length <= maxBytes + 1 ? buffer : buffer.subarray(0, maxBytes + 1 - size));
    size += buffer.length;
  }
  return Buffer.concat(chunks).subarray(0, maxBytes + 1);
}

/** The paths Scimitar answers; as Express middleware, anything else goes on to the host app (next()). */
function isScimitarPath(path: string): boolean {
  return (
    path.startsWith('/scim/') ||
    path === '/api/v1' ||
    path.startsWith('/api/v1/') ||
    path === '/portal' ||
    path.startsWith('/portal/') ||
    path.startsWith('/sso/') ||
    path === '/healthz'
  );
}

export function toNodeHandler(handle: Handler, options: { basePath?: string; maxBodyBytes: number }) {
  const basePath = normalizeBasePath(options.basePath);
  return (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = stripBasePath(url.pathname, basePath);
    if (path === undefined || (next && !isScimitarPath(path))) {
      if (next) return next();
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'not_found', message: 'not found' } }));
      return;
    }
    const run = async () => {
      // Express's body parsers may have consumed the stream already.
      const parsed = (req as IncomingMessage & { body?: unknown }).body;
      let body: string | Uint8Array | undefined;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        const form = /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '');
        if (typeof parsed === 'string' || Buffer.isBuffer(parsed)) body = parsed;
        // express.urlencoded() leaves an object: the portal and the SAML ACS read the form encoding.
        else if (parsed !== undefined && typeof parsed === 'object' && req.readableEnded && form) body = new URLSearchParams(parsed as Record<string, string>).toString();
        else if (parsed !== undefined && typeof parsed === 'object' && req.readableEnded) body = JSON.stringify(parsed);
        else body = await readBody(req, options.maxBodyBytes);
      }
      const headers: Record<string, string | undefined> = {};
      for (const [key, value] of Object.entries(req.headers)) headers[key] = Array.isArray(value) ? value.join(', ') : value;
      const response = await handle({
        method: req.method ?? 'GET',
        path,
        query: url.search.replace(/^\?/, ''),
        headers,
        body,
        clientIp: req.socket.remoteAddress ?? null,
      });
      res.writeHead(response.status, response.headers).end(response.body);
    };
    run().catch((error: unknown) => {
      if (next) return next(error);
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'internal', message: 'internal error' } }));
    });
  };
}
