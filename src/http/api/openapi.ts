/**
 * Builds the OpenAPI 3.1 document of the REST API from the route table (route-types.ts) and
 * the schemas (openapi-schemas.ts), so every served route is documented and nothing else is.
 */
import { ref, SCHEMAS } from './openapi-schemas.js';
import type { ApiRoute, JsonSchema } from './route-types.js';

export type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: JsonSchema;
  security: Record<string, string[]>[];
};

export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: Record<string, string[]>[];
  parameters?: JsonSchema[];
  requestBody?: JsonSchema;
  responses: Record<string, JsonSchema>;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No content',
  400: 'Invalid input (invalid_value, invalid_syntax)',
  401: 'Missing, wrong or revoked API key (unauthenticated)',
  403: 'Not allowed for this key (forbidden)',
  404: 'Not found, or belongs to another organization (not_found)',
  409: 'Conflict (uniqueness_conflict)',
  413: 'Body too large (payload_too_large)',
  415: 'Content-Type other than application/json (unsupported_media_type)',
  500: 'Internal error; the message quotes the request id (internal)',
};

const TAGS = [
  { name: 'Organizations', description: 'Your customers. A scoped API key sees only its own.' },
  { name: 'Directories', description: 'One identity provider connection each: SCIM base URL, token, status.' },
  { name: 'Directory', description: 'Read access to the normalized users and groups of a directory.' },
  { name: 'Events', description: 'Pull the change events of the directories the key may see.' },
  { name: 'Webhooks', description: 'Where events are pushed, and what happened to each delivery.' },
  { name: 'Settings', description: 'A directory\'s mapping rules.' },
  { name: 'SSO', description: 'SAML single sign-on: connections to an organization\'s identity provider, their sign-in attempts, and the organization\'s sign-in policy and email domains.' },
  { name: 'Reference', description: 'This document and its rendered page (no API key needed).' },
];

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const errorResponse = (status: number) => ({ description: STATUS_TEXT[status] ?? 'Error', content: json(ref('Error')) });

function operation(route: ApiRoute): Operation {
  const { doc } = route;
  const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1]!, in: 'path', required: true, schema: { type: 'string' } }));
  const queryParams = (doc.query ?? []).map((q) => ({ name: q.name, in: 'query', required: q.required ?? false, description: q.description, schema: q.schema }));
  const responses: Record<string, JsonSchema> = {
    [String(doc.status)]: doc.status === 204 ? { description: STATUS_TEXT[204]! } : { description: STATUS_TEXT[doc.status] ?? 'OK', content: json(doc.response) },
  };
  // 400 too: any route refuses a query parameter it does not document.
  for (const status of [...new Set([...doc.errors, 400, 401, 500])].sort()) responses[String(status)] = errorResponse(status);
  return {
    operationId: route.operationId,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [doc.tag],
    ...(pathParams.length + queryParams.length > 0 ? { parameters: [...pathParams, ...queryParams] } : {}),
    ...(doc.body ? { requestBody: { required: Array.isArray(doc.body['required']), content: json(doc.body) } } : {}),
    responses,
  };
}

export function buildOpenApiDocument(routes: readonly ApiRoute[], serverUrl: string): OpenApiDocument {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  const reference = (operationId: string, summary: string, type: string): Operation => ({
    operationId,
    summary,
    tags: ['Reference'],
    security: [],
    responses: { '200': { description: 'OK', content: { [type]: { schema: { type: type === 'text/html' ? 'string' : 'object' } } } } },
  });
  paths['/openapi.json'] = { get: reference('getOpenApiDocument', 'This OpenAPI 3.1 document', 'application/json') };
  paths['/docs'] = { get: reference('getApiReference', 'The API reference, rendered as HTML from this document', 'text/html') };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Scimitar REST API',
      version: '1',
      description:
        'Manage organizations, directories and webhooks, and read the normalized directory and its events. ' +
        'Authenticate with `Authorization: Bearer <api key>` (create one with `npx scimitar api-key create`). ' +
        'An organization-scoped key sees only its organization: anything else answers 404. ' +
        'Errors are `{ "error": { "code", "message" } }`.',
    },
    servers: [{ url: serverUrl }],
    tags: TAGS.filter((t) => t.name === 'Reference' || routes.some((r) => r.doc.tag === t.name)),
    paths,
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key, scimitar_key_…' } },
      schemas: SCHEMAS,
    },
    security: [{ apiKey: [] }],
  };
}
