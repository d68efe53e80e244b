/** A directory's mapping rules: roles from groups (prefix, explicit mappings), department groups. */
import { getSettingsForApi, updateSettingsForApi } from '../../app/api/directories.js';
import { ref } from './openapi-schemas.js';
import { ok, type ApiRoute } from './route-types.js';

export const settingsRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/directories/{id}/settings',
    operationId: 'getDirectorySettings',
    doc: { tag: 'Settings', summary: 'Get a directory\'s mapping settings', status: 200, response: ref('DirectorySettings'), errors: [400, 404] },
    handle: async ({ ctx, scope, params }) => ok(await getSettingsForApi(ctx, scope, params['id']!)),
  },
  {
    method: 'PATCH',
    path: '/directories/{id}/settings',
    operationId: 'updateDirectorySettings',
    doc: {
      tag: 'Settings',
      summary: 'Change a directory\'s mapping settings',
      description:
        'A partial update: what the body names replaces the current value (roles.mappings as a whole list), the rest is kept. ' +
        'A change to the role rules recomputes every user\'s roles, with user.role_granted / user.role_revoked events.',
      body: ref('DirectorySettingsUpdate'),
      status: 200,
      response: ref('DirectorySettings'),
      errors: [400, 404, 415],
    },
    // The body is validated field by field (unknown keys refused) by the settings use case.
    handle: async ({ ctx, scope, params, body }) => ok(await updateSettingsForApi(ctx, scope, params['id']!, body())),
  },
];
