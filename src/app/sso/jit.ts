/**
 * Who signed in: the user of the connection's directory that a verified SAML profile names,
 * and what the sign-in does to that user (just-in-time create, update of a JIT user's mapped
 * attributes, or nothing for a user SCIM manages). Runs inside the sign-in's transaction and
 * uses the SCIM use cases' helpers (userColumns, userView, userUpdateEvents), so the events
 * have exactly the shapes of SCIM's.
 */
import { deepEqual } from '../../scim/attribute-values.js';
import { normalizeUserInput } from '../../scim/resource-input.js';
import type { Filter, JsonObject } from '../../scim/types.js';
import type { NewEvent } from '../../domain/events.js';
import type { Directory, StoredUser } from '../../domain/model.js';
import type { SsoConnection, SsoPolicy, SsoProfile } from '../../domain/sso.js';
import type { SamlProfile } from '../../saml/profile.js';
import type { AppContext } from '../context.js';
import type { Repositories } from '../ports.js';
import { userView } from '../directory/views.js';
import { userColumns, userUpdateEvents } from '../scim/user-changes.js';
import type { DirectoryUser } from '../../domain/directory-view.js';

export type Provisioning = SsoProfile['provisioning'];

/** A sign-in the directory refuses: the failure code, in words for the person, and want/got for the log. */
export interface SignInRefusal {
  code: 'user_deactivated' | 'user_not_provisioned' | 'user_ambiguous' | 'user_invalid';
  detail: string;
  want: string;
  got: string;
  userId: string | null;
}

export type SignInUser =
  | { ok: true; user: StoredUser; view: DirectoryUser; provisioning: Provisioning; events: NewEvent[] }
  | { ok: false; refusal: SignInRefusal };

type Match = { user: StoredUser; by: string } | { ambiguous: string } | undefined;

const eq = (attr: string, value: string, sub?: string): Filter => ({ op: 'eq', path: sub ? { attr, sub } : { attr }, value });

/**
 * Finds the user (sso_identities link, then externalId == subject, then userName == subject or
 * email, then email), and applies the organization's policy. Writes the user change, if any;
 * the caller appends `events` and links the identity.
 */
export async function resolveSignInUser(
  ctx: AppContext,
  tx: Repositories,
  input: { connection: SsoConnection; directory: Directory; profile: SamlProfile; policy: SsoPolicy; at: string },
): Promise<SignInUser> {
  const { connection, directory, profile } = input;
  const linked = await tx.sso.findIdentity(connection.id, profile.subject);
  const match = await findUser(tx, directory.id, profile, linked?.directoryId === directory.id ? linked.userId : undefined);
  if (match && 'ambiguous' in match) {
    return refused('user_ambiguous', 'More than one account in your organization matches you, so this sign-in cannot tell which one is yours. Ask your IT administrator.', 'one user matching the subject or email', match.ambiguous, null);
  }
  if (match) {
    const user = match.user;
    if (!user.active) {
      return refused('user_deactivated', 'Your account is deactivated in your organization’s directory. Ask your IT administrator if you should have access.', 'an active user', `user ${user.id} (matched by ${match.by}) is deactivated`, user.id);
    }
    if (user.source === 'saml_jit') return updateJitUser(ctx, tx, directory, user, profile, linked !== undefined && linked.userId === user.id);
    // A user SCIM manages is the IdP's business: the sign-in links to it and changes nothing.
    const view = await userView(tx, directory, user);
    return { ok: true, user, view, provisioning: linked?.userId === user.id ? 'unchanged' : 'linked', events: [] };
  }
  if (input.policy === 'scim_only') {
    return refused(
      'user_not_provisioned',
      'You do not have access to this application yet: your organization has not assigned it to you. Ask your IT administrator.',
      'a user provisioned by SCIM (organization policy scim_only)',
      `no user in directory ${directory.id} for subject ${profile.subject}${profile.email ? ` or email ${profile.email}` : ''}`,
      null,
    );
  }
  return createJitUser(ctx, tx, directory, profile, input.at);
}

function refused(code: SignInRefusal['code'], detail: string, want: string, got: string, userId: string | null): SignInUser {
  return { ok: false, refusal: { code, detail, want, got, userId } };
}

async function findUser(tx: Repositories, directoryId: string, profile: SamlProfile, linkedUserId: string | undefined): Promise<Match> {
  if (linkedUserId !== undefined) {
    const user = await tx.users.findById(directoryId, linkedUserId, { forUpdate: true });
    // A link to a user since deleted is stale: look again by the attributes.
    if (user) return { user, by: 'sso identity link' };
  }
  const candidates: [string, Filter][] = [['externalId', eq('externalId', profile.subject)], ['userName = subject', eq('userName', profile.subject)]];
  if (profile.email !== null) {
    candidates.push(['userName = email', eq('userName', profile.email)], ['email', eq('emails', profile.email, 'value')]);
  }
  for (const [by, filter] of candidates) {
    const found = await tx.users.list(directoryId, filter, { offset: 0, limit: 2 });
    if (found.items.length > 1) return { ambiguous: `${found.total} users match by ${by}` };
    const first = found.items[0];
    if (first) {
      // Re-read with a row lock: a concurrent SCIM write to the same user waits for the sign-in.
      const user = await tx.users.findById(directoryId, first.id, { forUpdate: true });
      if (user) return { user, by };
    }
  }
  return undefined;
}

/** The SCIM resource the assertion describes, for a new JIT user or merged over an existing one. */
function resourceFrom(profile: SamlProfile, base: JsonObject | null): JsonObject | undefined {
  const { id: _id, meta: _meta, ...rest } = base ?? {};
  const body: JsonObject = base ? { ...rest } : { userName: profile.email ?? profile.subject, active: true };
  const name: JsonObject = typeof body['name'] === 'object' && body['name'] !== null && !Array.isArray(body['name']) ? { ...(body['name'] as JsonObject) } : {};
  if (profile.firstName !== null) name['givenName'] = profile.firstName;
  if (profile.lastName !== null) name['familyName'] = profile.lastName;
  if (Object.keys(name).length > 0) body['name'] = name;
  if (profile.email !== null) body['emails'] = [{ value: profile.email, type: 'work', primary: true }];
  if (profile.displayName !== null) body['displayName'] = profile.displayName;
  const normalized = normalizeUserInput(body);
  return normalized.ok ? normalized.value : undefined;
}

async function createJitUser(ctx: AppContext, tx: Repositories, directory: Directory, profile: SamlProfile, at: string): Promise<SignInUser> {
  const resource = resourceFrom(profile, null);
  if (!resource) {
    return refused('user_invalid', 'Your identity provider sent a profile this application cannot use. Ask your IT administrator.', 'a valid user profile', 'the assertion attributes do not make a valid user', null);
  }
  const user: StoredUser = {
    id: ctx.ids.next('usr'),
    directoryId: directory.id,
    ...userColumns(resource),
    externalId: null,
    active: true,
    resource,
    version: 1,
    source: 'saml_jit',
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  };
  await tx.users.insert(user);
  const view = await userView(tx, directory, user, { isNew: true });
  return { ok: true, user, view, provisioning: 'created', events: [{ type: 'user.created', data: { user: view } }] };
}

async function updateJitUser(ctx: AppContext, tx: Repositories, directory: Directory, before: StoredUser, profile: SamlProfile, wasLinked: boolean): Promise<SignInUser> {
  const beforeView = await userView(tx, directory, before);
  const resource = resourceFrom(profile, before.resource);
  // Nothing new (or nothing usable) in the assertion: the user stays as it is.
  if (!resource || deepEqual(before.resource, resource)) {
    return { ok: true, user: before, view: beforeView, provisioning: wasLinked ? 'unchanged' : 'linked', events: [] };
  }
  const at = ctx.clock.now().toISOString();
  const after: StoredUser = { ...before, ...userColumns(resource), externalId: before.externalId, resource, version: before.version + 1, updatedAt: at };
  await tx.users.update(after, { emailsChanged: !deepEqual(before.resource['emails'], resource['emails']) });
  const afterView = { ...(await userView(tx, directory, after, { isNew: true })), groups: beforeView.groups, roles: beforeView.roles };
  const events = userUpdateEvents(beforeView, afterView);
  return { ok: true, user: after, view: afterView, provisioning: events.length > 0 ? 'updated' : wasLinked ? 'unchanged' : 'linked', events };
}
