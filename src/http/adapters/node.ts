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
    size += buffer.length;
    // Keep one byte past the limit so the core answers 413; drain the rest without keeping it.
    if (size <= maxBytes + 1) chunks.push(buffer);
  }
  return Buffer.concat(chunks).subarray(0, maxBytes + 1);
}

export function toNodeHandler(handle: Handler, options: { basePath?: string; maxBodyBytes: number }) {
  const basePath = normalizeBasePath(options.basePath);
  return (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = stripBasePath(url.pathname, basePath);
    if (path === undefined || (next && !path.startsWith('/scim/') && path !== '/healthz')) {
      if (next) return next();
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'not_found', message: 'not found' } }));
      return;
    }
    const run = async () => {
      // Express's body parsers may have consumed the stream already.
      const parsed = (req as IncomingMessage & { body?: unknown }).body;
      let body: string | Uint8Array | undefined;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        if (typeof parsed === 'string' || Buffer.isBuffer(parsed)) body = parsed;
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
