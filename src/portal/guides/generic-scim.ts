/**
 * Any SCIM 2.0 client (another IdP, a provisioning tool, a script): the base URL, the bearer
 * token, the endpoints and what this service expects. Values to paste are copy fields; the
 * example command uses shell variables so that no value, and never the token, is repeated.
 */
import { copyCode, copyField, notice } from '../components.js';
import { html } from '../html.js';
import { link, tokenField, type Guide } from './guide.js';

export const genericScimGuide: Guide = (input) => [
  {
    id: 'generic-base-url',
    title: 'Point the client at the SCIM base URL',
    body: html`<p>Your SCIM 2.0 client needs two values to reach the directory of ${input.organizationName}. The first is the base URL; the client adds the endpoint paths to it:</p>
${copyField('SCIM base URL', input.scimBaseUrl, 'generic-base-url')}
<ul>
  <li><code>/Users</code> and <code>/Users/{id}</code>: <code>GET</code>, <code>POST</code>, <code>PUT</code>, <code>PATCH</code>, <code>DELETE</code>, and <code>POST /Users/.search</code>.</li>
  <li><code>/Groups</code> and <code>/Groups/{id}</code>: the same methods, and <code>POST /Groups/.search</code>.</li>
</ul>`,
  },
  {
    id: 'generic-token',
    title: 'Send the bearer token',
    body: html`${tokenField(input, 'Bearer token', 'generic-token')}
<p>Send it on every request as <code>Authorization: Bearer …</code>. The token alone (no scheme) and HTTP Basic with any user name and the token as the password are accepted too.
Send bodies as JSON with <code>Content-Type: application/scim+json</code> (or <code>application/json</code>).</p>`,
  },
  {
    id: 'generic-discovery',
    title: 'Let the client discover what is supported',
    body: html`<p>These endpoints describe the service, under the same base URL and with the same token:</p>
<ul>
  <li><code>/ServiceProviderConfig</code>: <code>PATCH</code>, filters and ETags are supported; bulk, sorting and password changes are not.</li>
  <li><code>/ResourceTypes</code>: <code>User</code> (with the enterprise extension) and <code>Group</code>.</li>
  <li><code>/Schemas</code>: every attribute and its characteristics.</li>
</ul>
<p>To try the connection from a shell, set <code>SCIM_BASE_URL</code> and <code>SCIM_TOKEN</code> to the two values, then run:</p>
<p>${copyCode('curl -fsS -H "Authorization: Bearer $SCIM_TOKEN" "$SCIM_BASE_URL/ServiceProviderConfig"', 'generic-try-command')}</p>
<p>It prints the service's configuration when the URL and the token are right, and an error such as <code>401</code> when they are not.</p>`,
  },
  {
    id: 'generic-behaviour',
    title: 'Send users and groups',
    body: html`<ul>
  <li>Each user needs a <code>userName</code>, unique in this directory ignoring case: usually the work email address. Look a user up with <code>GET /Users?filter=userName eq "…"</code> before creating it, to link to an existing account instead of getting <code>409</code>.</li>
  <li>Deactivate a user with <code>PATCH</code> setting <code>active</code> to <code>false</code>: the account is kept. <code>DELETE</code> removes it from every group and frees its <code>userName</code>.</li>
  <li>Group names are unique in this directory, ignoring case. A group's members must already be users of this directory, so create users before the groups that contain them.</li>
  <li>Core and enterprise user attributes are stored, and so are custom attributes under their own schema URN.</li>
</ul>
<p>Whether groups grant roles here, or departments become groups, is set in ${link(input.mappingHref, 'mapping rules')}.</p>`,
  },
  {
    id: 'generic-verify',
    title: 'Check that users and groups arrived',
    body: html`<p>Open ${link(input.usersHref, 'Users')} and ${link(input.groupsHref, 'Groups')} for ${input.organizationName}: what the client sent should be listed.</p>
${notice('info', html`Something missing? The ${link(input.logHref, 'request log')} lists every failed request with its SCIM error type, the detail and how to fix it.`)}`,
  },
];
