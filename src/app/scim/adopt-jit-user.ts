/**
 * One identity across SCIM and SSO: a user first created by a SAML just-in-time sign-in
 * (source 'saml_jit') and later pushed by the IdP's SCIM client is linked, never duplicated.
 *
 * - POST /Users whose userName (case-insensitively) names a live JIT user, or whose externalId
 *   names one, adopts that user: it becomes the SCIM resource, as a PUT of the posted body
 *   would make it (users.ts), and the answer is 201 with the existing id, so the IdP stores it.
 *   The events are those of an update (user.updated with `previous`, user.deactivated /
 *   user.reactivated, department and role effects), never a second user.created.
 * - A live user with that userName that SCIM itself created (source 'scim') is the IdP's own
 *   duplicate: the usual 409 uniqueness, with the store's wording.
 * - Any SCIM write (PUT, PATCH, or a POST adopting it) makes the user SCIM-managed: source
 *   'scim' from then on, so SSO sign-ins stop rewriting its attributes. That is also how the
 *   IdP links by itself: its pre-create lookup `GET /Users?filter=userName eq "..."` finds the
 *   JIT user like any other, and its PUT/PATCH of that id takes it over.
 *
 * The match runs in the create's transaction with the rows locked (FOR UPDATE on PostgreSQL,
 * SQLite has one writer), so of two racing POSTs one adopts and the other then sees a SCIM user
 * and answers 409.
 */
import { ServiceError } from '../../domain/errors.js';
import type { StoredUser } from '../../domain/model.js';
import type { JsonObject } from '../../scim/types.js';
import type { Repositories } from '../ports.js';
import { userColumns } from './user-changes.js';

/** What a SCIM create does: insert a new user, or adopt (replace) an existing JIT user. */
export type CreateTarget = { kind: 'insert' } | { kind: 'adopt'; user: StoredUser };

/** The 409 of a taken userName, worded like the store's (the portal's request explainer reads it). */
export function userNameTaken(userName: string): ServiceError {
  return new ServiceError('uniqueness_conflict', `userName "${userName}" is already taken in this directory`);
}

/**
 * Finds and locks what the create collides with. The userName match decides first (userName is
 * unique): a JIT user is adopted, a SCIM user is a 409. Else the first JIT user (by id) with the
 * posted externalId is adopted; else the create inserts. Users that share only an externalId
 * with a SCIM user are no conflict (externalId is not unique), as before.
 */
export async function lockCreateTarget(tx: Repositories, directoryId: string, resource: JsonObject): Promise<CreateTarget> {
  const { userName, externalId } = userColumns(resource);
  const found = await tx.users.findForCreate(directoryId, { userName, externalId }, { forUpdate: true });
  const lower = userName.toLowerCase();
  const sameName = found.find((u) => u.userName.toLowerCase() === lower);
  if (sameName) {
    if (sameName.source === 'saml_jit') return { kind: 'adopt', user: sameName };
    throw userNameTaken(userName);
  }
  const sameExternalId = externalId === null ? undefined : found.find((u) => u.source === 'saml_jit' && u.externalId === externalId);
  return sameExternalId ? { kind: 'adopt', user: sameExternalId } : { kind: 'insert' };
}
