/**
 * Everything Scimitar serves, as one framework-free handler: the SCIM surface, the REST API
 * (/api/v1, http/api/), the surfaces the composition root adds (the portal under /portal), a
 * health check, and a JSON 404 for anything else.
 */
import type { AppContext } from '../app/context.js';
import { createScimHandler, type ScimHandlerOptions } from './scim/handler.js';
import { createApiHandler } from './api/handler.js';
import type { HttpRequest, HttpResponse } from './types.js';

export type Handler = (request: HttpRequest) => Promise<HttpResponse>;
/** A surface that answers its own paths and returns undefined for the rest (the portal, SSO). */
export type SurfaceHandler = (request: HttpRequest) => Promise<HttpResponse | undefined>;

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

export function createAppHandler(ctx: AppContext, options: ScimHandlerOptions, surfaces: readonly SurfaceHandler[] = []): Handler {
  const scim = createScimHandler(ctx, options);
  const api = createApiHandler(ctx, options);
  return async (request) => {
    const scimResponse = await scim(request);
    if (scimResponse) return scimResponse;
    const apiResponse = await api(request);
    if (apiResponse) return apiResponse;
    for (const surface of surfaces) {
      const response = await surface(request);
      if (response) return response;
    }
    if (request.path === '/healthz' && request.method.toUpperCase() === 'GET') return jsonResponse(200, { status: 'ok' });
    return jsonResponse(404, { error: { code: 'not_found', message: `no route for ${request.method} ${request.path}` } });
  };
}
