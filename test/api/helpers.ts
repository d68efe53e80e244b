/**
 * Helpers for the REST API suites: a raw JSON client over real HTTP (status, headers, body, so
 * tests can assert error shapes), API keys made through the runtime, and tenants with a
 * directory and an SCIM client.
 */
import type { TestServer } from '../support/server.js';
import type { ScimClient } from '../support/scim-client.js';

export interface ApiResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RawApi {
  request(method: string, path: string, options?: { body?: unknown; headers?: Record<string, string>; raw?: string }): Promise<ApiResult>;
  get(path: string): Promise<ApiResult>;
  post(path: string, body?: unknown): Promise<ApiResult>;
  patch(path: string, body?: unknown): Promise<ApiResult>;
  delete(path: string): Promise<ApiResult>;
}

/** Requests to `${server.url}/api/v1${path}`, with `Authorization: Bearer <key>` when a key is given. */
export function api(server: TestServer, key?: string): RawApi {
  const request: RawApi['request'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { accept: 'application/json', ...(options.headers ?? {}) };
    if (key !== undefined && headers['authorization'] === undefined) headers['authorization'] = `Bearer ${key}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${server.url}/api/v1${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
  return {
    request,
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, { body: body ?? {} }),
    patch: (path, body) => request('PATCH', path, { body: body ?? {} }),
    delete: (path) => request('DELETE', path),
  };
}

export async function createKey(server: TestServer, organizationId?: string, name?: string): Promise<string> {
  return (await server.server.scimitar.admin.createApiKey({ organizationId, name })).key;
}

export interface Tenant {
  organizationId: string;
  directoryId: string;
  scim: ScimClient;
  /** An API key scoped to this tenant's organization. */
  key: string;
  api: RawApi;
}

/** A new organization with an Okta directory and an organization-scoped API key. */
export async function newTenant(server: TestServer): Promise<Tenant> {
  const { organizationId, directoryId, client } = await server.newDirectory('okta');
  const key = await createKey(server, organizationId);
  return { organizationId, directoryId, scim: client, key, api: api(server, key) };
}

/** Asserts the JSON error shape of the API and returns its code. */
export function errorCode(result: ApiResult): string {
  const error = result.body?.error;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string') {
    throw new Error(`expected { error: { code, message } }, got ${result.status} ${result.text}`);
  }
  return error.code;
}
