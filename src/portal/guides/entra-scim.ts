/**
 * Microsoft Entra ID: provisioning from a non-gallery enterprise application, from the Entra
 * administrator's chair. Follows docs/entra.md for what this service accepts. Entra's SCIM
 * quirks are handled for every client (src/scim/quirks/entra.ts), so the Tenant URL needs no
 * feature flag: it is pasted exactly as shown.
 */
import { copyField, notice } from '../components.js';
import { html } from '../html.js';
import { link, tokenField, ui, uiPath, type Guide } from './guide.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export const entraScimGuide: Guide = (input) => [
  {
    id: 'entra-create-app',
    title: 'Create an enterprise application',
    body: html`<ol>
  <li>In the Microsoft Entra admin center, go to ${uiPath('Enterprise applications')} and click ${ui('New application')}.</li>
  <li>Click ${ui('Create your own application')}, enter a name (the name your users see), choose ${ui("Integrate any other application you don't find in the gallery (Non-gallery)")} and click ${ui('Create')}.</li>
</ol>
<p>If you already have an enterprise application for signing in to this app, you can open it and set up provisioning there instead.</p>`,
  },
  {
    id: 'entra-admin-credentials',
    title: 'Enter the Tenant URL and the Secret Token',
    body: html`<p>In the application, open ${ui('Provisioning')} (click ${ui('Get started')} or ${ui('Connect your application')} if Entra shows it) and set ${ui('Provisioning Mode')} to ${ui('Automatic')}.
Under ${ui('Admin Credentials')}, paste these two values, which connect Entra to the directory of ${input.organizationName}:</p>
${copyField('Tenant URL', input.scimBaseUrl, 'entra-tenant-url')}
${tokenField(input, 'Secret Token', 'entra-secret-token')}
<p>Paste the Tenant URL exactly as shown, with nothing added. Entra sends the token as <code>Authorization: Bearer …</code>.</p>`,
  },
  {
    id: 'entra-test',
    title: 'Test the connection',
    body: html`<p>Click ${ui('Test Connection')}. Entra looks up a user name that cannot exist and expects an empty answer; when it works, Entra reports that the credentials are authorized to enable provisioning.
Click ${ui('Save')}.</p>
<p>If the test fails, the failed request and how to fix it are in the ${link(input.logHref, 'request log')}.
A failure that never shows up there usually means the Tenant URL was not pasted exactly.</p>`,
  },
  {
    id: 'entra-mappings',
    title: 'Check the mappings',
    body: html`<p>Open ${ui('Mappings')}. There are two sets.</p>
<p>${ui('Provision Microsoft Entra ID Users')}: keep these, and delete the ones you do not need:</p>
<ul>
  <li><code>userPrincipalName</code> → <code>userName</code>: the unique identifier of each person here, and the attribute Entra matches accounts on. No two people in this directory can have the same one, ignoring case.</li>
  <li><code>Switch([IsSoftDeleted], …)</code> → <code>active</code>: deactivates accounts when people leave the scope.</li>
  <li><code>displayName</code>, <code>mail</code> → <code>emails[type eq "work"].value</code>, <code>givenName</code> → <code>name.givenName</code>, <code>surname</code> → <code>name.familyName</code>, <code>mailNickname</code> → <code>externalId</code>.</li>
</ul>
<p>Stored too, if you keep them: <code>jobTitle</code> → <code>title</code>, <code>department</code>, <code>employeeId</code> → <code>employeeNumber</code> and <code>manager</code> (in <code>${ENTERPRISE}</code>), preferred language, phone numbers and address parts.</p>
<p>${ui('Provision Microsoft Entra ID Groups')}: keep <code>displayName</code> (unique in this directory, ignoring case), <code>objectId</code> → <code>externalId</code> and <code>members</code>.
If you do not want to send groups, set ${ui('Enabled')} to ${ui('No')} there.</p>
<p>Whether groups grant roles here, or departments become groups, is set in ${link(input.mappingHref, 'mapping rules')}.</p>`,
  },
  {
    id: 'entra-assign',
    title: 'Choose who is provisioned',
    body: html`<ol>
  <li>Back in ${ui('Provisioning')}, under ${ui('Settings')}, set ${ui('Scope')} to ${ui('Sync only assigned users and groups')}.</li>
  <li>In the application's ${ui('Users and groups')}, click ${ui('Add user/group')} and assign the people and groups to provision.</li>
</ol>
<p>An assigned group is created here with its members, and its members get accounts. A group member who has no account here (out of scope) cannot be added to a group.</p>`,
  },
  {
    id: 'entra-start',
    title: 'Start provisioning',
    body: html`<p>Set ${ui('Provisioning Status')} to ${ui('On')} and click ${ui('Save')} (in the newer view, click ${ui('Start provisioning')}).</p>
<p>Entra does not send changes as they happen. The first cycle goes through everyone in scope and can take a while in a large tenant; after that, Entra runs a cycle about every 40 minutes, so a change can take that long to arrive.
To send one person right away and see exactly what happens, use ${ui('Provision on demand')}. ${ui('Restart provisioning')} runs a full cycle again.</p>`,
  },
  {
    id: 'entra-verify',
    title: 'Check that users and groups arrived',
    body: html`<p>After the first cycle, open ${link(input.usersHref, 'Users')} and ${link(input.groupsHref, 'Groups')} for ${input.organizationName}: the people and groups in scope should be listed.</p>
${notice(
  'info',
  html`Something missing? The ${link(input.logHref, 'request log')} lists every failed request with the reason and the fix in Entra's terms.
In Entra, ${ui('Provisioning logs')} show each attempt, and ${ui('Provision on demand')} retries one person at once.`,
)}`,
  },
];
