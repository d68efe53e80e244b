/**
 * Organizations and directories: list, create, read, status and SCIM token rotation. Scope
 * checks live in the use cases (app/api/); these routes only read input and shape output.
 */
import { createDirectoryForApi, getDirectoryForApi, listDirectoriesInScope, rotateTokenForApi, setDirectoryStatusForApi } from '../../app/api/directories.js';
import { createOrganizationForApi, getOrganizationForApi, listOrganizationsInScope } from '../../app/api/organizations.js';
import { onlyFields, optionalBoolean, optionalString, requiredString } from './input.js';
import { ref } from './openapi-schemas.js';
import { ok, type ApiRoute } from './route-types.js';

export const managementRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/organizations',
    operationId: 'listOrganizations',
    doc: { tag: 'Organizations', summary: 'List organizations', description: 'A scoped key sees only its own organization.', status: 200, response: ref('OrganizationList'), errors: [400] },
    handle: async ({ ctx, scope }) => ok({ data: await listOrganizationsInScope(ctx, scope) }),
  },
  {
    method: 'POST',
    path: '/organizations',
    operationId: 'createOrganization',
    doc: {
      tag: 'Organizations',
      summary: 'Create an organization',
      description: 'Needs a global API key (403 otherwise).',
      body: { type: 'object', properties: { name: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['name'], additionalProperties: false },
      status: 201,
      response: ref('Organization'),
      errors: [400, 403, 415],
    },
    handle: async ({ ctx, scope, body }) => {
      const input = body();
      onlyFields(input, ['name']);
      return ok(await createOrganizationForApi(ctx, scope, { name: requiredString(input, 'name') }), 201);
    },
  },
  {
    method: 'GET',
    path: '/organizations/{id}',
    operationId: 'getOrganization',
    doc: { tag: 'Organizations', summary: 'Get an organization', status: 200, response: ref('Organization'), errors: [404] },
    handle: async ({ ctx, scope, params }) => ok(await getOrganizationForApi(ctx, scope, params['id']!)),
  },
  {
    method: 'GET',
    path: '/directories',
    operationId: 'listDirectories',
    doc: {
      tag: 'Directories',
      summary: 'List directories',
      description: 'All directories the key may see, or those of one organization.',
      query: [{ name: 'organizationId', description: 'Only this organization\'s directories.', schema: { type: 'string' } }],
      status: 200,
      response: ref('DirectoryList'),
      errors: [400, 404],
    },
    handle: async ({ ctx, scope, query }) => ok({ data: await listDirectoriesInScope(ctx, scope, { organizationId: query['organizationId'] }) }),
  },
  {
    method: 'POST',
    path: '/directories',
    operationId: 'createDirectory',
    doc: {
      tag: 'Directories',
      summary: 'Create a directory',
      description: 'Returns the SCIM base URL and bearer token for the identity provider. The token is shown only in this response.',
      body: {
        type: 'object',
        properties: {
          organizationId: { type: 'string', description: 'Required with a global key; defaults to the key\'s organization.' },
          provider: { type: 'string', enum: ['okta', 'entra', 'generic'] },
          name: { type: 'string' },
        },
        required: ['provider'],
        additionalProperties: false,
      },
      status: 201,
      response: ref('CreatedDirectory'),
      errors: [400, 404, 415],
    },
    handle: async ({ ctx, scope, body }) => {
      const input = body();
      onlyFields(input, ['organizationId', 'provider', 'name']);
      const created = await createDirectoryForApi(ctx, scope, {
        organizationId: optionalString(input, 'organizationId'),
        provider: requiredString(input, 'provider'),
        name: optionalString(input, 'name'),
      });
      return ok({ directory: created.directory, scimBaseUrl: created.scimBaseUrl, token: created.token }, 201);
    },
  },
  {
    method: 'GET',
    path: '/directories/{id}',
    operationId: 'getDirectory',
    doc: { tag: 'Directories', summary: 'Get a directory', status: 200, response: ref('Directory'), errors: [404] },
    handle: async ({ ctx, scope, params }) => ok(await getDirectoryForApi(ctx, scope, params['id']!)),
  },
  {
    method: 'PATCH',
    path: '/directories/{id}',
    operationId: 'updateDirectory',
    doc: {
      tag: 'Directories',
      summary: 'Activate or deactivate a directory',
      description: 'inactive: every SCIM request to the directory gets 403 until it is active again.',
      body: { type: 'object', properties: { status: { type: 'string', enum: ['active', 'inactive'] } }, required: ['status'], additionalProperties: false },
      status: 200,
      response: ref('Directory'),
      errors: [400, 404, 415],
    },
    handle: async ({ ctx, scope, params, body }) => {
      const input = body();
      onlyFields(input, ['status']);
      return ok(await setDirectoryStatusForApi(ctx, scope, params['id']!, requiredString(input, 'status')));
    },
  },
  {
    method: 'POST',
    path: '/directories/{id}/token',
    operationId: 'rotateDirectoryToken',
    doc: {
      tag: 'Directories',
      summary: 'Rotate the SCIM bearer token',
      description: 'Issues a new token (shown once). Earlier tokens keep working for the grace period, or stop now with revokeOld.',
      body: { type: 'object', properties: { revokeOld: { type: 'boolean', default: false } }, additionalProperties: false },
      status: 200,
      response: ref('RotatedToken'),
      errors: [400, 404, 415],
    },
    handle: async ({ ctx, scope, params, body }) => {
      const input = body();
      onlyFields(input, ['revokeOld']);
      return ok(await rotateTokenForApi(ctx, scope, params['id']!, { revokeOld: optionalBoolean(input, 'revokeOld') }));
    },
  },
];
