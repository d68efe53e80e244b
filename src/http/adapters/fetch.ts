/**
 * Web-standard adapter: `(Request) => Promise<Response>` for Next.js route handlers, Hono,
 * Bun, Deno and anything else that speaks fetch. `basePath` is the mount prefix to strip.
 */
import type { Handler } from '../app-handler.js';
import { normalizeBasePath, stripBasePath } from './base-path.js';

export function toFetchHandler(handle: Handler, options: { basePath?: string; maxBodyBytes: number }) {
  const basePath = normalizeBasePath(options.basePath);
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = stripBasePath(url.pathname, basePath);
    if (path === undefined) return new Response(JSON.stringify({ error: { code: 'not_found', message: 'not under the Scimitar mount path' } }), { status: 404, headers: { 'content-type': 'application/json' } });
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => (headers[key.toLowerCase()] = value));
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== null;
    let body: Uint8Array | undefined;
    if (hasBody) {
      const buffer = new Uint8Array(await request.arrayBuffer());
      // Oversized bodies are cut to one byte past the limit, so the core answers 413 without holding them.
      body = buffer.byteLength > options.maxBodyBytes ? buffer.subarray(0, options.maxBodyBytes + 1) : buffer;
    }
    const response = await handle({
      method: request.method,
      path,
      query: url.search.replace(/^\?/, ''),
      headers,
      body,
      clientIp: headers['x-forwarded-for']?.split(',')[0]?.trim() ?? null,
    });
    return new Response(response.body ?? null, { status: response.status, headers: response.headers });
  };
}
