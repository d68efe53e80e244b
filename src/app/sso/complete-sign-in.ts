/**
 * SAML sign-in, step two (POST /sso/acs/{connectionId}): validate the IdP's Response against the
 * connection, tell SP-initiated from unsolicited by the RelayState, refuse replays, find or
 * provision the user under the organization's policy, and hand the browser back to the host app
 * with a one-time code. Every outcome leaves an sso_attempts row and an sso.login_* event in the
 * connection's directory, written in one transaction with any user change.
 *
 * Failures carry a correlation id (shown to the person, stored on the attempt) and plain words;
 * the precise want/got goes to the attempt row only, never to the page.
 */
import type { NewEvent } from '../../domain/events.js';
import type { Directory } from '../../domain/model.js';
import type { SsoAttempt, SsoConnection, SsoFlow, SsoProfile } from '../../domain/sso.js';
import { isServiceError } from '../../domain/errors.js';
import { profileFromAssertion, type SamlProfile } from '../../saml/profile.js';
import { DEFAULT_CLOCK_SKEW_MS, DEFAULT_MAX_RESPONSE_BYTES, validateSamlResponse, type SamlAssertion } from '../../saml/validate-response.js';
import type { AppContext } from '../context.js';
import type { Repositories } from '../ports.js';
import { userRef } from '../directory/views.js';
import type { SsoRequestRecord } from './sso-repository.js';
import { resolveSignInUser } from './jit.js';
import { SSO_CODE_LIFETIME_MS, newCorrelationId, newSsoCode, newSsoId, spUrlsOf } from './sign-in-values.js';

export interface SignInOptions {
  /** Tolerance on NotBefore / NotOnOrAfter (default 3 minutes). */
  clockSkewMs?: number;
  /** Accept RSA-SHA1 / SHA-1 (some old ADFS set-ups). Default false. */
  allowSha1?: boolean;
  /** Largest SAMLResponse accepted, in bytes of base64 (default 256 KiB). */
  maxResponseBytes?: number;
}

export interface CompleteSignInInput {
  connectionId: string;
  /** The SAMLResponse form field; null when the post had none. */
  samlResponse: string | null;
  relayState: string | null;
  clientIp: string | null;
  /** Set by the HTTP edge when the posted form itself was over its limit (nothing was parsed). */
  oversizedBytes?: number;
}

export type SignInFailureCode =
  | SamlAssertionFailureCode
  | 'connection_not_found'
  | 'connection_inactive'
  | 'directory_missing'
  | 'response_missing'
  | 'replayed'
  | 'redirect_not_registered'
  | 'no_default_redirect'
  | 'user_deactivated'
  | 'user_not_provisioned'
  | 'user_ambiguous'
  | 'user_invalid';
type SamlAssertionFailureCode = Extract<Awaited<ReturnType<typeof validateSamlResponse>>, { ok: false }>['failure']['code'];

export type CompleteSignInResult =
  | { ok: true; location: string; flow: SsoFlow; correlationId: string; provisioning: SsoProfile['provisioning']; userId: string }
  | {
      ok: false;
      /** 400, 403 (deactivated, not provisioned) or 404 (no such connection). */
      status: number;
      code: SignInFailureCode;
      /** Plain words for the person signing in; never echoes the response. */
      detail: string;
      /** Null only when there is no connection to log the attempt against. */
      correlationId: string | null;
    };

interface Failure {
  code: SignInFailureCode;
  detail: string;
  want?: string | undefined;
  got?: string | undefined;
  /** Only once the assertion is verified: unverified text is never logged as who signed in. */
  subject?: string | null;
  userId?: string | null;
  /** The connection's directory is gone: the attempt is logged, but there is no stream to append to. */
  noEvent?: boolean;
}

const STATUS_BY_FAILURE: Partial<Record<SignInFailureCode, number>> = {
  connection_not_found: 404,
  user_deactivated: 403,
  user_not_provisioned: 403,
};

export async function completeSignIn(ctx: AppContext, input: CompleteSignInInput, options: SignInOptions = {}): Promise<CompleteSignInResult> {
  const connection = await ctx.store.sso.findConnection(input.connectionId);
  if (!connection) {
    return { ok: false, status: 404, code: 'connection_not_found', detail: 'This sign-in address is not valid: there is no such sign-in connection.', correlationId: null };
  }
  const now = ctx.clock.now();
  let flow: SsoFlow = 'idp_initiated';
  const fail = (failure: Failure) => recordFailure(ctx, connection, flow, input.clientIp, failure);

  if (connection.status !== 'active') {
    return fail({ code: 'connection_inactive', detail: 'Single sign-on through this connection is switched off. Ask your IT administrator.', want: 'status active', got: `status ${connection.status}` });
  }
  if (input.oversizedBytes !== undefined) {
    return fail({ code: 'response_too_large', detail: 'The sign-in response is too large.', want: `at most ${options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES} bytes of base64`, got: `a form of ${input.oversizedBytes} bytes` });
  }
  if (input.samlResponse === null || input.samlResponse.trim() === '') {
    return fail({ code: 'response_missing', detail: 'The sign-in did not carry a response from your identity provider. Start the sign-in again.', want: 'a SAMLResponse form field', got: 'none' });
  }

  // SP-initiated when the RelayState names a request of ours still pending for this connection
  // (consumed now: a request is answered once); anything else is unsolicited.
  let pending: SsoRequestRecord | undefined;
  if (input.relayState) {
    pending = await ctx.store.sso.consumeRequest(connection.id, input.relayState, now.toISOString());
    if (pending) flow = 'sp_initiated';
  }

  const urls = spUrlsOf(ctx.settings, connection.id);
  const validated = await validateSamlResponse({
    samlResponseBase64: input.samlResponse,
    now,
    expected: {
      spEntityId: urls.entityId,
      acsUrl: urls.acsUrl,
      idpEntityId: connection.idpEntityId,
      inResponseTo: pending?.id ?? null,
      allowUnsolicited: pending === undefined && connection.allowIdpInitiated,
    },
    idpCertificates: connection.idpCertificates,
    ...(options.clockSkewMs !== undefined ? { clockSkewMs: options.clockSkewMs } : {}),
    ...(options.maxResponseBytes !== undefined ? { maxBytes: options.maxResponseBytes } : {}),
    ...(options.allowSha1 !== undefined ? { allowSha1: options.allowSha1 } : {}),
  });
  if (!validated.ok) return fail(validated.failure);
  const assertion = validated.assertion;
  const profile = profileFromAssertion(assertion);

  // Where the browser goes back to: decided before anything is written.
  let target: string;
  if (pending) {
    if (!connection.redirectUrls.includes(pending.redirectUri)) {
      return fail({ code: 'redirect_not_registered', detail: 'The application’s return address is no longer registered for this sign-in connection.', want: connection.redirectUrls.join(', '), got: pending.redirectUri, subject: profile.subject });
    }
    target = pending.redirectUri;
  } else if (input.relayState && connection.redirectUrls.includes(input.relayState)) {
    target = input.relayState;
  } else if (connection.defaultRedirectUrl) {
    target = connection.defaultRedirectUrl;
  } else {
    return fail({
      code: 'no_default_redirect',
      detail: 'This application does not know where to send you after a sign-in started at your identity provider. Start from the application’s sign-in page.',
      want: 'a default redirect URL on the connection, or a registered RelayState',
      got: input.relayState ? 'a RelayState that is not a registered redirect URL' : 'no RelayState',
      subject: profile.subject,
    });
  }

  const directory = await ctx.store.directories.findById(connection.directoryId);
  if (!directory) {
    return fail({ code: 'directory_missing', detail: 'This sign-in connection is not set up completely. Ask your IT administrator.', want: `directory ${connection.directoryId}`, got: 'no such directory', subject: profile.subject, noEvent: true });
  }
  const policy = (await ctx.store.sso.getPolicy(connection.organizationId)) ?? 'jit';

  const signIn = () => ctx.store.transaction((tx) => signInWithin(ctx, tx, { connection, directory, policy, flow, assertion, profile, clientIp: input.clientIp, clockSkewMs: options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS }));
  let outcome: Awaited<ReturnType<typeof signInWithin>>;
  try {
    outcome = await signIn();
  } catch (error) {
    // Two first sign-ins of one new user at once: the loser's insert conflicts. Once more finds the user.
    if (!isServiceError(error) || error.code !== 'uniqueness_conflict') throw error;
    outcome = await signIn();
  }
  if (!outcome.ok) return outcome.result;

  const location = new URL(target);
  location.searchParams.set('code', outcome.code);
  if (pending?.state != null) location.searchParams.set('state', pending.state);
  return { ok: true, location: location.toString(), flow, correlationId: outcome.correlationId, provisioning: outcome.provisioning, userId: outcome.userId };
}

type WithinResult =
  | { ok: true; code: string; correlationId: string; provisioning: SsoProfile['provisioning']; userId: string }
  | { ok: false; result: CompleteSignInResult };

async function signInWithin(
  ctx: AppContext,
  tx: Repositories,
  s: {
    connection: SsoConnection;
    directory: Directory;
    policy: 'jit' | 'scim_only';
    flow: SsoFlow;
    assertion: SamlAssertion;
    profile: SamlProfile;
    clientIp: string | null;
    clockSkewMs: number;
  },
): Promise<WithinResult> {
  const { connection, directory, assertion, profile } = s;
  const at = ctx.clock.now().toISOString();
  // Kept while the assertion could still pass validation: until NotOnOrAfter plus the clock skew.
  const replayUntil = new Date(Date.parse(assertion.notOnOrAfter) + s.clockSkewMs).toISOString();
  if (!(await tx.sso.rememberAssertion(connection.id, assertion.id, replayUntil))) {
    const result = await writeFailure(ctx, tx, connection, s.flow, s.clientIp, {
      code: 'replayed',
      detail: 'This sign-in response was already used. Start the sign-in again.',
      want: 'an assertion ID not seen before',
      got: `assertion ${assertion.id} already accepted`,
      subject: profile.subject,
    });
    return { ok: false, result };
  }

  const resolved = await resolveSignInUser(ctx, tx, { connection, directory, profile, policy: s.policy, at });
  if (!resolved.ok) {
    const r = resolved.refusal;
    const result = await writeFailure(ctx, tx, connection, s.flow, s.clientIp, { code: r.code, detail: r.detail, want: r.want, got: r.got, subject: profile.subject, userId: r.userId });
    return { ok: false, result };
  }
  const { user, view, provisioning } = resolved;
  await tx.sso.linkIdentity(connection.id, profile.subject, directory.id, user.id, at);

  const [roles, directoryGroups] = await Promise.all([
    tx.roles.rolesOf(directory.id, [user.id]).then((m) => m.get(user.id) ?? []),
    tx.memberships.groupsOf(directory.id, [user.id]).then((m) => (m.get(user.id) ?? []).map((g) => g.displayName)),
  ]);
  const ssoProfile: SsoProfile = {
    userId: user.id,
    directoryId: directory.id,
    organizationId: connection.organizationId,
    connectionId: connection.id,
    subject: profile.subject,
    email: view.email ?? profile.email,
    firstName: view.firstName ?? profile.firstName,
    lastName: view.lastName ?? profile.lastName,
    // The directory's groups (SCIM) first, then those the IdP named in the assertion.
    groups: [...new Set([...directoryGroups, ...profile.groups])],
    roles: [...roles].sort(),
    rawAttributes: assertion.attributes,
    provisioning,
  };
  const code = newSsoCode();
  await tx.sso.insertCode({
    codeSha256: code.sha256,
    organizationId: connection.organizationId,
    connectionId: connection.id,
    profile: ssoProfile,
    createdAt: at,
    expiresAt: new Date(Date.parse(at) + SSO_CODE_LIFETIME_MS).toISOString(),
    usedAt: null,
  });
  const attempt = newAttempt(ctx, connection, s.flow, s.clientIp, { subject: profile.subject, userId: user.id });
  await tx.sso.recordAttempt(attempt);
  const events: NewEvent[] = [
    ...resolved.events,
    { type: 'sso.login_succeeded', data: { connectionId: connection.id, flow: s.flow, user: userRef(view), subject: profile.subject, provisioning } },
  ];
  await tx.events.append(directory.id, directory.organizationId, events, at);
  return { ok: true, code: code.code, correlationId: attempt.correlationId, provisioning, userId: user.id };
}

function newAttempt(ctx: AppContext, connection: SsoConnection, flow: SsoFlow, clientIp: string | null, f: Partial<Failure> = {}): SsoAttempt {
  const now = ctx.clock.now();
  return {
    id: newSsoId('att', now),
    connectionId: connection.id,
    at: now.toISOString(),
    correlationId: newCorrelationId(),
    flow,
    outcome: f.code ? 'failed' : 'succeeded',
    failureCode: f.code ?? null,
    detail: f.detail ?? null,
    want: f.want ?? null,
    got: f.got ?? null,
    subject: f.subject ?? null,
    userId: f.userId ?? null,
    clientIp,
  };
}

async function writeFailure(ctx: AppContext, tx: Repositories, connection: SsoConnection, flow: SsoFlow, clientIp: string | null, failure: Failure): Promise<CompleteSignInResult> {
  const attempt = newAttempt(ctx, connection, flow, clientIp, failure);
  await tx.sso.recordAttempt(attempt);
  if (!failure.noEvent) await tx.events.append(connection.directoryId, connection.organizationId, [
    {
      type: 'sso.login_failed',
      data: { connectionId: connection.id, flow, reason: failure.code, detail: failure.detail, subject: failure.subject ?? null, correlationId: attempt.correlationId },
    },
  ], attempt.at);
  return { ok: false, status: STATUS_BY_FAILURE[failure.code] ?? 400, code: failure.code, detail: failure.detail, correlationId: attempt.correlationId };
}

function recordFailure(ctx: AppContext, connection: SsoConnection, flow: SsoFlow, clientIp: string | null, failure: Failure): Promise<CompleteSignInResult> {
  return ctx.store.transaction((tx) => writeFailure(ctx, tx, connection, flow, clientIp, failure));
}
