/**
 * The events pull API: the events of every directory the key may see (or of one organization
 * or directory), after a cursor, oldest first. Only directories whose last sequence moved past
 * the cursor are read, so an idle poll over many directories costs one small query.
 */
import type { ApiScope } from '../../domain/api-key.js';
import { ServiceError, toServiceError } from '../../domain/errors.js';
import type { DirectoryEvent } from '../../domain/events.js';
import type { AppContext } from '../context.js';
import { advanceCursor, encodeEventCursor, mergeEventStreams, parseEventCursor, type EventCursor } from './event-cursor.js';
import { organizationFor } from './scope.js';

export interface EventsPage {
  data: DirectoryEvent[];
  /** Pass as `after` next time. Equal to the `after` given when nothing new was found. */
  nextCursor: string;
}

export interface PullEventsInput {
  after?: string;
  limit: number;
  directoryId?: string;
  organizationId?: string;
}

export async function pullEvents(ctx: AppContext, scope: ApiScope, input: PullEventsInput): Promise<EventsPage> {
  let cursor: EventCursor = {};
  if (input.after !== undefined) {
    const parsed = parseEventCursor(input.after);
    if (!parsed.ok) throw toServiceError(parsed.error);
    cursor = parsed.value;
  }
  const organizationId = await organizationFor(ctx, scope, input.organizationId);
  let directories = await ctx.store.directoryRead.listSequences(organizationId ?? null);
  if (input.directoryId !== undefined) {
    directories = directories.filter((d) => d.directoryId === input.directoryId);
    if (directories.length === 0) throw new ServiceError('not_found', `directory ${input.directoryId} does not exist`);
  }
  const positions = directories
    .filter((d) => d.lastSequence > (cursor[d.directoryId] ?? 0))
    .map((d) => ({ directoryId: d.directoryId, afterSeq: cursor[d.directoryId] ?? 0 }));
  const unchanged = input.after ?? encodeEventCursor(cursor);
  if (positions.length === 0) return { data: [], nextCursor: unchanged };
  const streams = await ctx.store.directoryRead.eventsAfter(positions, input.limit);
  const data = mergeEventStreams(streams.values(), input.limit);
  return { data, nextCursor: data.length === 0 ? unchanged : encodeEventCursor(advanceCursor(cursor, data)) };
}
