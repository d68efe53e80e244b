/**
 * What a REST API route is: method, OpenAPI-style path, its documentation (the OpenAPI
 * document is built from these, so the reference cannot miss a route) and its handler.
 */
import type { AppContext } from '../../app/context.js';
import type { ApiScope } from '../../domain/api-key.js';
import type { JsonObject } from '../../domain/json.js';

export type JsonSchema = { [key: string]: unknown };

export interface ParamDoc {
  name: string;
  description: string;
  schema: JsonSchema;
  required?: boolean;
}

export interface RouteDoc {
  tag: string;
  summary: string;
  description?: string;
  query?: ParamDoc[];
  /** The JSON body's schema (POST/PATCH). */
  body?: JsonSchema;
  /** Success status and body schema. */
  status: number;
  response: JsonSchema;
  /** Error statuses besides 400, 401 and 500, which every authenticated route may answer. */
  errors: number[];
}

export interface RouteInput {
  ctx: AppContext;
  scope: ApiScope;
  /** Path parameters by the names in `path` (`{id}` -> params.id). */
  params: Record<string, string>;
  /** The query parameters named in `doc.query`, each at most once; any other is refused before the handler runs. */
  query: Record<string, string | undefined>;
  /** The JSON body as an object (content type, size, syntax and shape checked). */
  body(): JsonObject;
}

export interface RouteReply {
  status: number;
  body: unknown;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to /api/v1, OpenAPI template syntax: `/directories/{id}/users`. */
  path: string;
  operationId: string;
  doc: RouteDoc;
  handle(input: RouteInput): Promise<RouteReply>;
}

export const ok = (body: unknown, status = 200): RouteReply => ({ status, body });
