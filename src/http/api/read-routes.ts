/**
 * The directory read API: normalized users and groups, keyset-paged with opaque cursors.
 */
import { getDirectoryGroup, listDirectoryGroups, listGroupMembers } from '../../app/directory/read-groups.js';
import { getDirectoryUser, listDirectoryUsers } from '../../app/directory/read-users.js';
import { MAX_LIMIT, DEFAULT_LIMIT, parseEnum, parseLimit } from './input.js';
import { ref } from './openapi-schemas.js';
import { ok, type ApiRoute, type ParamDoc } from './route-types.js';

const pageParams: ParamDoc[] = [
  { name: 'after', description: 'nextCursor of the previous page.', schema: { type: 'string' } },
  { name: 'limit', description: `Page size, 1 to ${MAX_LIMIT}.`, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } },
];

export const readRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/directories/{id}/users',
    operationId: 'listUsers',
    doc: {
      tag: 'Directory',
      summary: 'List users',
      description: 'Normalized users with groups and roles, in id order. Without state, active and inactive users (not deleted ones).',
      query: [
        { name: 'email', description: 'Users with this email (any of their emails, case-insensitive).', schema: { type: 'string' } },
        { name: 'groupId', description: 'Members of this group.', schema: { type: 'string' } },
        { name: 'state', description: 'active, inactive or deleted.', schema: { type: 'string', enum: ['active', 'inactive', 'deleted'] } },
        ...pageParams,
      ],
      status: 200,
      response: ref('UserPage'),
      errors: [400, 404],
    },
    handle: async ({ ctx, scope, params, query }) => {
      return ok(
        await listDirectoryUsers(ctx, scope, params['id']!, {
          email: query['email'],
          groupId: query['groupId'],
          state: parseEnum('state', query['state'], ['active', 'inactive', 'deleted'] as const),
          after: query['after'],
          limit: parseLimit(query['limit']),
        }),
      );
    },
  },
  {
    method: 'GET',
    path: '/directories/{id}/users/{userId}',
    operationId: 'getUser',
    doc: { tag: 'Directory', summary: 'Get a user', description: 'Deleted users are returned with state deleted.', status: 200, response: ref('DirectoryUser'), errors: [404] },
    handle: async ({ ctx, scope, params }) => ok(await getDirectoryUser(ctx, scope, params['id']!, params['userId']!)),
  },
  {
    method: 'GET',
    path: '/directories/{id}/groups',
    operationId: 'listGroups',
    doc: { tag: 'Directory', summary: 'List groups', description: 'Normalized groups with member counts, in id order.', query: pageParams, status: 200, response: ref('GroupPage'), errors: [400, 404] },
    handle: async ({ ctx, scope, params, query }) => ok(await listDirectoryGroups(ctx, scope, params['id']!, { after: query['after'], limit: parseLimit(query['limit']) })),
  },
  {
    method: 'GET',
    path: '/directories/{id}/groups/{groupId}',
    operationId: 'getGroup',
    doc: { tag: 'Directory', summary: 'Get a group', status: 200, response: ref('DirectoryGroup'), errors: [404] },
    handle: async ({ ctx, scope, params }) => ok(await getDirectoryGroup(ctx, scope, params['id']!, params['groupId']!)),
  },
  {
    method: 'GET',
    path: '/directories/{id}/groups/{groupId}/members',
    operationId: 'listGroupMembers',
    doc: { tag: 'Directory', summary: 'List a group\'s members', description: 'Normalized users, in id order.', query: pageParams, status: 200, response: ref('UserPage'), errors: [400, 404] },
    handle: async ({ ctx, scope, params, query }) => ok(await listGroupMembers(ctx, scope, params['id']!, params['groupId']!, { after: query['after'], limit: parseLimit(query['limit']) })),
  },
];
