/**
 * How a SCIM resource becomes a stored user, and which events a change produces: shared by the
 * create, replace and patch use cases so they cannot disagree.
 */
import type { NewEvent } from '../../domain/events.js';
import type { StoredUser } from '../../domain/model.js';
import type { JsonObject, JsonValue } from '../../scim/types.js';

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

/** A user as events carry it: our id and columns plus the attributes the IdP set. */
export function userSnapshot(user: StoredUser): JsonObject {
  return {
    id: user.id,
    directoryId: user.directoryId,
    userName: user.userName,
    externalId: user.externalId,
    displayName: user.displayName,
    active: user.active,
    attributes: user.resource,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

/** Top-level attributes whose value differs, with their previous values (null when absent). */
export function previousValues(before: JsonObject, after: JsonObject): Record<string, JsonValue> {
  const previous: Record<string, JsonValue> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === 'schemas') continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) previous[key] = before[key] ?? null;
  }
  return previous;
}

/** user.updated for attribute changes, then user.deactivated / user.reactivated for `active`. */
export function userUpdateEvents(before: StoredUser, after: StoredUser): NewEvent[] {
  const previous = previousValues(before.resource, after.resource);
  const { active: _active, ...others } = previous;
  const events: NewEvent[] = [];
  const snapshot = userSnapshot(after);
  if (Object.keys(others).length > 0 || (before.active === after.active && 'active' in previous)) {
    events.push({ type: 'user.updated', data: { user: snapshot, previous } });
  }
  if (before.active && !after.active) events.push({ type: 'user.deactivated', data: { user: snapshot } });
  if (!before.active && after.active) events.push({ type: 'user.reactivated', data: { user: snapshot } });
  return events;
}
