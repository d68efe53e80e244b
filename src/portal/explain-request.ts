/**
 * Explains a failed SCIM request from the directory's request log in plain words, with the fix
 * in the identity provider's own UI terms. Works from what the handler logs (status, scimType,
 * the ServiceError detail, method and path): the detail strings are the ones the service
 * really emits (app/scim/authenticate.ts, app/scim/*.ts, scim/*.ts, store/*.ts, http/scim/*.ts).
 * Never uses the request body and never prints a secret: details carry no tokens.
 */
import type { RequestLogEntry } from '../app/ports.js';
import { html, type Html, type HtmlValue } from './html.js';
import { ui, uiPath } from './guides/guide.js';

export type ExplainProvider = 'okta' | 'entra' | 'generic';

export interface RequestExplanation {
  /** Plain text (the page escapes it). */
  summary: string;
  /** What to do, in the provider's terms; null when there is nothing to do. */
  fix: Html | null;
}

/** The grace period the CLI and library use by default (SCIM_TOKEN_GRACE_HOURS). */
const DEFAULT_GRACE_HOURS = 24;

type Target =
  | { kind: 'users' | 'groups'; search: boolean }
  | { kind: 'user' | 'group'; id: string }
  | { kind: 'discovery'; name: string }
  | { kind: 'other'; rest: string };

interface Ctx {
  entry: RequestLogEntry;
  provider: ExplainProvider;
  /** "Okta", "Entra ID", "The SCIM client": at the start of a sentence */
  name: string;
  /** the same, inside a sentence */
  who: string;
  method: string;
  target: Target;
  detail: string;
}

const NAMES: Record<ExplainProvider, string> = { okta: 'Okta', entra: 'Entra ID', generic: 'The SCIM client' };
const BASE_URL_WHERE: Record<ExplainProvider, string> = { okta: 'in Okta', entra: 'in Entra', generic: 'the client uses' };

export function explainRequest(entry: RequestLogEntry, provider: ExplainProvider): RequestExplanation | null {
  if (entry.status < 400) return null;
  const c: Ctx = {
    entry,
    provider,
    name: NAMES[provider],
    who: provider === 'generic' ? 'the SCIM client' : NAMES[provider],
    method: entry.method.toUpperCase(),
    target: parseTarget(entry.path),
    detail: (entry.detail ?? '').trim(),
  };
  switch (entry.status) {
    case 400:
      return badRequest(c);
    case 401:
      return unauthorized(c);
    case 403:
      return forbidden(c);
    case 404:
      return notFound(c);
    case 405:
      return methodNotAllowed(c);
    case 409:
      return conflict(c);
    case 412:
      return preconditionFailed(c);
    case 413:
      return tooLarge(c);
    case 415:
      return unsupportedMediaType(c);
    case 429:
      return tooManyRequests(c);
    default:
      return entry.status >= 500 ? serverError(c) : otherClientError(c);
  }
}

// ---- what the request was -------------------------------------------------------------------

function parseTarget(path: string): Target {
  const m = /^\/scim\/v2\/[^/]+(\/.*)?$/.exec(path);
  const rest = (m?.[1] ?? '').replace(/\/+$/, '');
  const segments = rest.split('/').filter(Boolean).map(safeDecode);
  const [first, second, ...more] = segments;
  if (first === undefined || more.length > 0) return { kind: 'other', rest: rest || '/' };
  if (first === 'Users' || first === 'Groups') {
    const plural = first === 'Users' ? 'users' : 'groups';
    if (second === undefined) return { kind: plural, search: false };
    if (second === '.search') return { kind: plural, search: true };
    return { kind: plural === 'users' ? 'user' : 'group', id: second };
  }
  if (first === 'ServiceProviderConfig' || first === 'ResourceTypes' || first === 'Schemas') return { kind: 'discovery', name: first };
  return { kind: 'other', rest };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** "creating a user", "updating group grp_1", ... */
function action(c: Ctx): string {
  const t = c.target;
  switch (t.kind) {
    case 'users':
    case 'groups': {
      const what = t.kind;
      if (t.search) return `searching ${what}`;
      return c.method === 'POST' ? `creating a ${what === 'users' ? 'user' : 'group'}` : `looking up ${what}`;
    }
    case 'user':
    case 'group': {
      const verb = { GET: 'reading', PUT: 'updating', PATCH: 'updating', DELETE: 'deleting' }[c.method] ?? `sending ${c.method} to`;
      return `${verb} ${t.kind} ${t.id}`;
    }
    case 'discovery':
      return `reading ${t.name}`;
    default:
      return `calling ${c.method} ${t.rest}`;
  }
}

const quoted = (detail: string): string => (detail ? ` The app answered: “${detail}”.` : '');
const requestId = (c: Ctx): Html => html`<code>${c.entry.requestId}</code>`;
const p = (content: HtmlValue): Html => html`<p>${content}</p>`;

/** The app's developer, with the request id to quote. */
function contactDeveloper(c: Ctx, lead = 'If it keeps failing, contact'): Html {
  return p(html`${lead} the app's developer and quote request id ${requestId(c)}.`);
}

/** How the provider sends a failed change again. */
function retryHint(c: Ctx): Html {
  switch (c.provider) {
    case 'okta':
      return p(html`Then retry the failed task in Okta: ${uiPath('Dashboard', 'Tasks')}.`);
    case 'entra':
      return p(html`Entra sends the change again in its next provisioning cycle (about every 40 minutes). To send one person right away, use ${ui('Provision on demand')}.`);
    default:
      return p('Then send the request again.');
  }
}

/** Where the Base URL goes, in the provider's terms. */
function baseUrlFix(c: Ctx): Html {
  switch (c.provider) {
    case 'okta':
      return p(html`In Okta, open the app's ${uiPath('Provisioning', 'Integration')} and click ${ui('Edit')}. Paste the Base URL exactly as this portal shows it into ${ui('Base URL')} (${ui('SCIM connector base URL')} in a SAML app with SCIM provisioning): it ends with the directory ID, with nothing after it. Click ${ui('Test API Credentials')}, then ${ui('Save')}.`);
    case 'entra':
      return p(html`In Entra, open the application's ${ui('Provisioning')}, and under ${ui('Admin Credentials')} paste the Tenant URL exactly as this portal shows it into ${ui('Tenant URL')}: it ends with the directory ID, with nothing after it. Click ${ui('Test Connection')}, then ${ui('Save')}.`);
    default:
      return p(html`Use the SCIM base URL exactly as this portal shows it (it ends with the directory ID) and add only the endpoint path, such as <code>/Users</code> or <code>/Groups/{id}</code>.`);
  }
}

// ---- 401: the token ------------------------------------------------------------------------

function unauthorized(c: Ctx): RequestExplanation {
  const missing = c.detail.startsWith('missing bearer token');
  // The service logs the same detail for a mistyped, a revoked and an expired token (and for a
  // token of another directory): it never says which, so neither can we.
  const summary = missing
    ? `${c.name} sent no token while ${action(c)}: the request had no Authorization header, or it was empty.`
    : `${c.name} sent a token that does not open this directory while ${action(c)}. The token was mistyped, revoked, or it is an earlier token whose grace period after a rotation has ended.`;
  const more = missing
    ? ''
    : html`${p(html`If nobody has the current token, generate a new one in this portal and paste that. After a rotation the previous token keeps working for a grace period (${DEFAULT_GRACE_HOURS} hours by default), so a prompt switch does not interrupt provisioning; once the grace period is over, requests that still carry the old token fail like this one.`)}
${p('Also check the base URL: a token opens only its own directory, so a URL that names another directory fails the same way.')}`;
  return { summary, fix: html`${tokenPasteFix(c)}${more}${afterTokenFix(c)}` };
}

function tokenPasteFix(c: Ctx): Html {
  switch (c.provider) {
    case 'okta':
      return p(html`In Okta, open the app's ${uiPath('Provisioning', 'Integration')} and click ${ui('Edit')}. Paste the current token into ${ui('OAuth Bearer Token')} (${ui('API Token')} in the Header Auth app: the token alone, or <code>Bearer</code>, a space and the token; ${ui('Authorization')} in a SAML app with SCIM provisioning). Click ${ui('Test API Credentials')} (${ui('Test Connector Configuration')} in a SAML app), then ${ui('Save')}.`);
    case 'entra':
      return p(html`In Entra, open the application's ${ui('Provisioning')}, and under ${ui('Admin Credentials')} paste the current token into ${ui('Secret Token')}. Click ${ui('Test Connection')}, then ${ui('Save')}.`);
    default:
      return p(html`Send the current token on every request as <code>Authorization: Bearer …</code>.`);
  }
}

function afterTokenFix(c: Ctx): Html | string {
  switch (c.provider) {
    case 'okta':
      return retryHint(c);
    case 'entra':
      return p(html`If Entra has put provisioning in quarantine after repeated failures, click ${ui('Restart provisioning')} once the test passes.`);
    default:
      return '';
  }
}

// ---- 403: directory switched off -------------------------------------------------------------

function forbidden(c: Ctx): RequestExplanation {
  if (c.detail.startsWith('this directory is disabled')) {
    return {
      summary: `This directory is switched off, so it refused ${c.who}'s request (${action(c)}). Nothing was changed.`,
      fix: html`${p(html`In this portal, switch the directory on: set ${ui('Status')} to ${ui('Active')} on the Directory Sync screen.`)}
${retryHint(c)}`,
    };
  }
  return { summary: `The request was refused (${action(c)}).${quoted(c.detail)}`, fix: contactDeveloper(c, 'Contact') };
}

// ---- 404: no such user, group or endpoint --------------------------------------------------

function notFound(c: Ctx): RequestExplanation {
  const t = c.target;
  if ((t.kind === 'user' || t.kind === 'group') && / not found in this directory$/.test(c.detail)) {
    const what = t.kind;
    return {
      summary: `${c.name} was ${action(c)}, but no ${what} with ID ${t.id} exists in this directory. It was deleted here, or ${c.who} still holds an ID from an earlier connection or from another directory.`,
      fix: what === 'user' ? staleUserFix(c) : staleGroupFix(c),
    };
  }
  // A list or search never answers 404 (no match is an empty list), so any other 404 is a path
  // this service has no endpoint for: almost always a Base URL with something wrong in it.
  return {
    summary: `There is no SCIM endpoint at ${c.method} ${c.entry.path}: the base URL ${BASE_URL_WHERE[c.provider]} is probably not exactly the one this portal shows.${quoted(c.detail)}`,
    fix: baseUrlFix(c),
  };
}

function staleUserFix(c: Ctx): Html {
  switch (c.provider) {
    case 'okta':
      return p(html`On the app's ${ui('Assignments')} tab, unassign the person, then assign them again. Okta then looks them up by username and creates their account here again if it is missing.`);
    case 'entra':
      return p(html`Try ${ui('Provision on demand')} for this person. If several people are affected, click ${ui('Restart provisioning')} on the ${ui('Provisioning')} page: Entra forgets the IDs it stored and matches every account again by <code>userName</code>.`);
    default:
      return p(html`Look the user up again (<code>GET /Users?filter=userName eq "…"</code>), create it if it is missing, and use the <code>id</code> this service returns.`);
  }
}

function staleGroupFix(c: Ctx): Html {
  switch (c.provider) {
    case 'okta':
      return p(html`On the ${ui('Push Groups')} tab, unlink the group and choose ${ui('Leave the group in the target app')}, then push it again. Okta creates it here again with its members.`);
    case 'entra':
      return p(html`Click ${ui('Restart provisioning')} on the ${ui('Provisioning')} page: Entra forgets the IDs it stored and creates or matches the group again by its name.`);
    default:
      return p(html`Look the group up again (<code>GET /Groups?filter=displayName eq "…"</code>), create it if it is missing, and use the <code>id</code> this service returns.`);
  }
}

// ---- 405 ---------------------------------------------------------------------------------------

function methodNotAllowed(c: Ctx): RequestExplanation {
  const t = c.target;
  const likelyBadBaseUrl = t.kind === 'user' || t.kind === 'group' || t.kind === 'other';
  return {
    summary: `${c.name} sent ${c.method} to ${c.entry.path}, which does not accept it.${quoted(c.detail)}${
      likelyBadBaseUrl ? ' This usually means the base URL has an extra part at the end, such as /Users, so every path is one level too deep.' : ''
    }`,
    fix: likelyBadBaseUrl ? baseUrlFix(c) : contactDeveloper(c, 'This is not a setting you can change. If it keeps happening, contact'),
  };
}

// ---- 409: uniqueness ---------------------------------------------------------------------------

function conflict(c: Ctx): RequestExplanation {
  const user = /^userName "(.*)" is already taken in this directory$/.exec(c.detail);
  if (user) return userNameTaken(c, user[1]!);
  const group = /^a group named "(.*)" already exists in this directory$/.exec(c.detail);
  if (group) return groupNameTaken(c, group[1]!);
  return { summary: `The request conflicts with data already in this directory (${action(c)}).${quoted(c.detail)}`, fix: contactDeveloper(c) };
}

function userNameTaken(c: Ctx, userName: string): RequestExplanation {
  const creating = c.method === 'POST';
  const what = creating
    ? `${c.name} tried to create an account with the userName "${userName}"`
    : `${c.name} tried to change the userName of ${c.target.kind === 'user' ? `user ${c.target.id}` : 'an account'} to "${userName}"`;
  const summary = `${what}, but another account in this directory already has it (usernames are compared ignoring case).`;
  const when: Record<ExplainProvider, string> = {
    okta: creating
      ? ' Okta normally looks a username up before it creates an account and links to the match, so on creation this usually means two requests for the same person crossed; retrying links the existing account.'
      : ' In Okta this happens when a username is changed to one another account here already has, for example when a new hire gets the email address of someone who left: the leaver\'s deactivated account keeps its username.',
    entra: creating
      ? ' Entra normally looks the userName up before it creates an account and links to the match, so on creation this usually means two Entra users map to the same userName, or two requests for the same person crossed.'
      : ' In Entra this happens when a user principal name is changed to one another account here already has, for example one that belonged to someone who left: a deactivated account keeps its username.',
    generic: '',
  };
  return { summary: summary + when[c.provider], fix: userNameFix(c) };
}

function userNameFix(c: Ctx): Html {
  switch (c.provider) {
    case 'okta':
      return html`<ul>
  <li>Same person? Match the existing account: retry the task in ${uiPath('Dashboard', 'Tasks')}, or unassign and assign the person again on the ${ui('Assignments')} tab, so Okta looks the username up and links to it.</li>
  <li>Different people? Give them different usernames in Okta, or change ${ui('Application username format')} on the app's ${ui('Sign On')} tab.</li>
  <li>Is the other account stale, for example someone who left? Delete it in this app (deleting frees the username), then retry the task in ${uiPath('Dashboard', 'Tasks')}.</li>
</ul>`;
    case 'entra':
      return html`<ul>
  <li>Same person? Use ${ui('Provision on demand')} for them: Entra looks the userName up and links to the existing account.</li>
  <li>Different people? Give them different user principal names in Entra, or change what is mapped to <code>userName</code> in ${ui('Mappings')}.</li>
  <li>Is the other account stale, for example someone who left? Delete it in this app (deleting frees the username), then use ${ui('Provision on demand')}.</li>
</ul>`;
    default:
      return html`<ul>
  <li>Same person? Look the user up with <code>GET /Users?filter=userName eq "…"</code> and update that account instead of creating one.</li>
  <li>Different people? Send different values of <code>userName</code>.</li>
  <li>Is the other account stale? Delete it (<code>DELETE /Users/{id}</code> frees the username), then send the request again.</li>
</ul>`;
  }
}

function groupNameTaken(c: Ctx, groupName: string): RequestExplanation {
  const summary = `${c.name} tried to ${c.method === 'POST' ? 'create' : 'rename'} a group "${groupName}", but a group with that name already exists in this directory (names are compared ignoring case).`;
  switch (c.provider) {
    case 'okta':
      return {
        summary,
        fix: p(html`On the ${ui('Push Groups')} tab, push the group again and choose ${ui('Link Group')} when Okta finds the existing group, so Okta takes it over instead of creating a second one. If they are really different groups, rename one of them.`),
      };
    case 'entra':
      return {
        summary: `${summary} Two Entra groups with the same name (or names differing only in case) cause this.`,
        fix: p(html`Rename one of the groups in Entra, or delete the stale group in this app; then use ${ui('Provision on demand')} for the group or wait for the next cycle.`),
      };
    default:
      return { summary, fix: p(html`Look the group up with <code>GET /Groups?filter=displayName eq "…"</code> and update it, or use a different name.`) };
  }
}

// ---- 400: the request itself -----------------------------------------------------------------

function badRequest(c: Ctx): RequestExplanation {
  switch (c.entry.scimType) {
    case 'invalidValue':
      return invalidValue(c);
    case 'invalidFilter':
      return invalidFilter(c);
    case 'invalidPath':
      return invalidPath(c);
    case 'mutability':
      return mutability(c);
    case 'noTarget':
      return {
        summary: `${c.name} asked to change or remove a value this account does not have (${action(c)}).${quoted(c.detail)}`,
        fix: html`${p('This usually means the account here and the identity provider disagree, for example after the account was changed outside it.')}
${retryHint(c)}${contactDeveloper(c)}`,
      };
    case 'invalidSyntax':
      return {
        summary: `The request was not in the form SCIM requires (${action(c)}).${quoted(c.detail)}`,
        fix: contactDeveloper(c, c.provider === 'generic' ? 'Fix the request body; if it looks right, contact' : 'This is not a setting you can change. Contact'),
      };
    case 'tooMany':
      return {
        summary: `The request asked for or changed more than this app accepts at once (${action(c)}).${quoted(c.detail)}`,
        fix: contactDeveloper(c, c.provider === 'generic' ? 'Split it into smaller requests; if that is not possible, contact' : 'This is not a setting you can change. If it keeps happening, contact'),
      };
    default:
      return { summary: `The request was refused as invalid (${action(c)}).${quoted(c.detail)}`, fix: contactDeveloper(c) };
  }
}

/** `Attribute "X" …` → X */
const attributeIn = (detail: string): string | undefined => /Attribute "([^"]+)"/.exec(detail)?.[1];

function invalidValue(c: Ctx): RequestExplanation {
  if (c.detail.startsWith('members must be users of this directory')) {
    const summary = `${c.name} tried to put people into a group who have no account in this directory yet.${quoted(c.detail)}`;
    switch (c.provider) {
      case 'okta':
        return {
          summary,
          fix: p(html`Assign those people to the app first (${ui('Assignments')} tab, ${ui('Assign to People')} or ${ui('Assign to Groups')}), wait until they are listed under Users here, then push the group again on the ${ui('Push Groups')} tab.`),
        };
      case 'entra':
        return {
          summary,
          fix: html`${p(html`Bring those people into scope: assign them, or a group that contains them, in the application's ${ui('Users and groups')}.`)}${retryHint(c)}`,
        };
      default:
        return { summary, fix: p('Create the users first (POST /Users), then add them to the group with the ids this service returned.') };
    }
  }
  const attribute = attributeIn(c.detail);
  if (attribute && /is required/.test(c.detail)) {
    return {
      summary: `${c.name} sent ${c.target.kind.startsWith('group') ? 'a group' : 'an account'} without a value for the required attribute ${attribute} (${action(c)}).${quoted(c.detail)}`,
      fix: mappingFix(c, attribute, 'produces an empty value for this person or group. Check that the source attribute is filled in, or map a different one.'),
    };
  }
  if (attribute) {
    return {
      summary: `${c.name} sent a value of the wrong kind for ${attribute} (${action(c)}).${quoted(c.detail)}`,
      fix: mappingFix(c, attribute, 'sends a value of the wrong kind. Change the mapping so it sends what the detail asks for.'),
    };
  }
  return { summary: `${c.name} sent a value this app does not accept (${action(c)}).${quoted(c.detail)}`, fix: contactDeveloper(c) };
}

/** "Look at the mapping of <attribute> in the provider's mapping screen." */
function mappingFix(c: Ctx, attribute: string, problem: string): Html {
  const attr = html`<code>${attribute}</code>`;
  switch (c.provider) {
    case 'okta':
      return html`${p(html`In Okta, open the app's ${uiPath('Provisioning', 'To App')} and scroll to ${ui('Attribute Mappings')}: the mapping of ${attr} ${problem}`)}${retryHint(c)}`;
    case 'entra':
      return html`${p(html`In Entra, open ${uiPath('Provisioning', 'Mappings', c.target.kind.startsWith('group') ? 'Provision Microsoft Entra ID Groups' : 'Provision Microsoft Entra ID Users')}: the mapping with target ${attr} ${problem}`)}${retryHint(c)}`;
    default:
      return p(html`The value sent for ${attr} ${problem}`);
  }
}

function invalidFilter(c: Ctx): RequestExplanation {
  const summary = `${c.name} searched with a filter this app cannot answer (${action(c)}).${quoted(c.detail)}`;
  switch (c.provider) {
    case 'okta':
      return {
        summary,
        fix: html`${p(html`Okta looks people up by <code>userName</code>, which is always supported, so this is not a setting in the app's ${ui('Provisioning')} tab.`)}${contactDeveloper(c, 'Contact')}`,
      };
    case 'entra':
      return {
        summary,
        fix: html`${p(html`Entra searches with the attributes marked ${ui('Match objects using this attribute')} in ${ui('Mappings')}. Match on <code>userName</code> (recommended) or another attribute the detail lists as supported, such as <code>externalId</code>, and save.`)}${contactDeveloper(c)}`,
      };
    default:
      return { summary, fix: p('Filter only on the attributes the detail lists as supported, for example userName eq "…".') };
  }
}

function invalidPath(c: Ctx): RequestExplanation {
  const summary = `${c.name} tried to change an attribute this app does not have (${action(c)}).${quoted(c.detail)}`;
  switch (c.provider) {
    case 'okta':
      return {
        summary,
        fix: html`${p(html`In Okta, open the app's ${uiPath('Provisioning', 'To App')}, ${ui('Attribute Mappings')}: remove the mapping of that attribute. For a custom attribute, give it a schema extension (<code>urn:…</code>) as its ${ui('External namespace')} in ${ui('Go to Profile Editor')}.`)}${retryHint(c)}`,
      };
    case 'entra':
      return {
        summary,
        fix: html`${p(html`In Entra, open ${uiPath('Provisioning', 'Mappings')} and delete the mapping whose target is that attribute. For a custom attribute, use a target under an extension schema, such as <code>urn:ietf:params:scim:schemas:extension:yourcompany:2.0:User:attribute</code>.`)}${retryHint(c)}`,
      };
    default:
      return { summary, fix: p('Use attribute paths from /Schemas; put custom attributes under their own schema extension URN.') };
  }
}

function mutability(c: Ctx): RequestExplanation {
  const attribute = attributeIn(c.detail);
  const summary = `${c.name} tried to change ${attribute ? `${attribute}, which` : 'an attribute that'} cannot be changed (${action(c)}).${quoted(c.detail)}`;
  const groups = attribute?.toLowerCase() === 'groups';
  const note = groups ? p('A user\'s groups are changed through the group itself (its members), never on the user.') : '';
  const attr = attribute ? html`<code>${attribute}</code>` : 'that attribute';
  switch (c.provider) {
    case 'okta':
      return {
        summary,
        fix: html`${note}${p(html`In Okta, open the app's ${uiPath('Provisioning', 'To App')}, ${ui('Attribute Mappings')}, and remove the mapping of ${attr}.${groups ? html` Send groups with ${ui('Push Groups')}.` : ''}`)}${retryHint(c)}`,
      };
    case 'entra':
      return {
        summary,
        fix: html`${note}${p(html`In Entra, open ${uiPath('Provisioning', 'Mappings')} and delete the mapping whose target is ${attr}.`)}${retryHint(c)}`,
      };
    default:
      return { summary, fix: html`${note}${p(html`Do not send ${attr} in writes; /Schemas lists which attributes are read-only or immutable.`)}` };
  }
}

// ---- 412, 413, 415, 429, 5xx, the rest -------------------------------------------------------

function preconditionFailed(c: Ctx): RequestExplanation {
  return {
    summary: `${c.name} sent a change for a version of this ${c.target.kind.startsWith('group') ? 'group' : 'user'} that is no longer current: another change arrived in between (${action(c)}).${quoted(c.detail)}`,
    fix: html`${p('Nothing is misconfigured. Sending the change again makes the client read the current version first.')}${retryHint(c)}`,
  };
}

function tooLarge(c: Ctx): RequestExplanation {
  return {
    summary: `The request body was larger than this app accepts (${action(c)}).${quoted(c.detail)} Very large groups sent in one request cause this.`,
    fix: contactDeveloper(c, c.provider === 'generic' ? 'Send smaller requests (for example, add group members in batches with PATCH). If that is not possible, contact' : 'This is not a setting you can change. Contact'),
  };
}

function unsupportedMediaType(c: Ctx): RequestExplanation {
  const summary = `The request body was not sent as JSON (${action(c)}).${quoted(c.detail)}`;
  if (c.provider === 'generic') {
    return { summary, fix: p(html`Send bodies with <code>Content-Type: application/scim+json</code> (or <code>application/json</code>).`) };
  }
  return {
    summary: `${summary} ${c.name} always sends JSON, so something between it and this app changed the request.`,
    fix: contactDeveloper(c, 'This is not a setting you can change. Contact'),
  };
}

function tooManyRequests(c: Ctx): RequestExplanation {
  return {
    summary: `The request was turned away because too many arrived at once (${action(c)}). It is not caused by your settings.`,
    fix: html`${p(`${c.provider === 'generic' ? 'Wait, then retry more slowly.' : `${c.name} retries by itself.`}`)}${contactDeveloper(c)}`,
  };
}

function serverError(c: Ctx): RequestExplanation {
  return {
    summary: `Something went wrong on this app's side while ${c.who} was ${action(c)} (status ${c.entry.status}). It is not caused by your settings.`,
    fix: html`${retryFirst(c)}${contactDeveloper(c)}`,
  };
}

function retryFirst(c: Ctx): Html {
  switch (c.provider) {
    case 'okta':
      return p(html`Retry the failed task in ${uiPath('Dashboard', 'Tasks')}.`);
    case 'entra':
      return p(html`Entra retries in its next cycle; to retry one person now, use ${ui('Provision on demand')}.`);
    default:
      return p('Retry the request.');
  }
}

function otherClientError(c: Ctx): RequestExplanation {
  return { summary: `The request failed with status ${c.entry.status} (${action(c)}).${quoted(c.detail)}`, fix: contactDeveloper(c) };
}
