/**
 * How a SCIM resource becomes a stored user, and which events a change produces: shared by the
 * create, replace and patch use cases so they cannot disagree.
 */
import type { DirectoryUser } from '../../domain/directory-view.js';
import type { NewEvent } from '../../domain/events.js';
import type { StoredUser } from '../../domain/model.js';
import type { JsonObject } from '../../scim/types.js';
import { previousOf } from '../directory/views.js';

/** The indexed columns, read from a normalized resource (userName is validated upstream). */
export function userColumns(resource: JsonObject): Pick<StoredUser, 'userName' | 'externalId' | 'displayName' | 'active'> {
  const displayName = typeof resource['displayName'] === 'string' ? resource['displayName'] : null;
  return {
    userName: String(resource['userName']),
    externalId: typeof resource['externalId'] === 'string' ? resource['externalId'] : null,
    displayName,
    // RFC 7643 §4.1.1 leaves absent `active` to the provider; a provisioned user is active.
    active: resource['active'] !== false,
  };
}

/** user.updated for attribute changes, then user.deactivated / user.reactivated for the state. */
export function userUpdateEvents(before: DirectoryUser, after: DirectoryUser): NewEvent[] {
  const previous = previousOf(before, after, ['raw', 'updatedAt', 'state']);
  // Attributes outside the normalized fields (nickName, locale, ...) still make an update: the
  // earlier SCIM resource is then given as previous.raw. `active` alone is a state change.
  const { active: _a, ...rawBefore } = before.raw;
  const { active: _b, ...rawAfter } = after.raw;
  if (JSON.stringify(rawBefore) !== JSON.stringify(rawAfter)) previous.raw = before.raw;
  const events: NewEvent[] = [];
  if (Object.keys(previous).length > 0) events.push({ type: 'user.updated', data: { user: after, previous } });
  if (before.state === 'active' && after.state === 'inactive') events.push({ type: 'user.deactivated', data: { user: after } });
  if (before.state === 'inactive' && after.state === 'active') events.push({ type: 'user.reactivated', data: { user: after } });
  return events;
}
