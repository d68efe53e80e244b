/** The events pull API: a stable cursor over the directories a key may see. */
import { pullEvents } from '../../app/api/pull-events.js';
import { DEFAULT_LIMIT, MAX_LIMIT, parseLimit } from './input.js';
import { ref } from './openapi-schemas.js';
import { ok, type ApiRoute } from './route-types.js';

export const eventRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/events',
    operationId: 'listEvents',
    doc: {
      tag: 'Events',
      summary: 'Pull events after a cursor',
      description:
        'Events of the directories the key may see, oldest first (by occurredAt, then directory id, then sequence). ' +
        'The cursor records the last sequence returned per directory, so resuming after downtime neither skips nor repeats an event. ' +
        'nextCursor is always present and equals `after` when nothing is new. Events older than the retention window are gone.',
      query: [
        { name: 'after', description: 'nextCursor of the previous call; absent: from the oldest retained event.', schema: { type: 'string' } },
        { name: 'limit', description: `At most this many events, 1 to ${MAX_LIMIT}.`, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } },
        { name: 'directoryId', description: 'Only this directory\'s events.', schema: { type: 'string' } },
        { name: 'organizationId', description: 'Only this organization\'s events.', schema: { type: 'string' } },
      ],
      status: 200,
      response: ref('EventsPage'),
      errors: [400, 404],
    },
    handle: async ({ ctx, scope, query }) => {
      return ok(
        await pullEvents(ctx, scope, { after: query['after'], limit: parseLimit(query['limit']), directoryId: query['directoryId'], organizationId: query['organizationId'] }),
      );
    },
  },
];
