/**
 * Okta: provisioning through a SCIM 2.0 template app (or SCIM added to an existing SAML app),
 * from the Okta administrator's chair. Follows the customer guides we were built from (Scalekit,
 * Auzmor, Envi, MangoApps, Okta's own docs) and docs/okta.md for what this service accepts.
 */
import { copyCode, copyField, notice } from '../components.js';
import { html } from '../html.js';
import { link, tokenField, ui, uiPath, type Guide } from './guide.js';

const OAUTH_APP = 'SCIM 2.0 Test App (OAuth Bearer Token)';
const HEADER_APP = 'SCIM 2.0 Test App (Header Auth)';

export const oktaScimGuide: Guide = (input) => [
  {
    id: 'okta-add-app',
    title: 'Add a SCIM app in Okta',
    body: html`<ol>
  <li>In the Okta Admin Console, go to ${uiPath('Applications', 'Applications')} and click ${ui('Browse App Catalog')}.</li>
  <li>Search for <kbd>SCIM 2.0</kbd>, select ${ui(OAUTH_APP)} and click ${ui('Add Integration')}.</li>
  <li>On ${ui('General Settings')}, enter an ${ui('Application label')} (the name your users see in Okta) and click ${ui('Next')}.</li>
  <li>On ${ui('Sign-On Options')}, keep the defaults unless you sign in to this app with SAML through Okta, then click ${ui('Done')}.</li>
</ol>
<p>Choose ${ui(OAUTH_APP)}: you paste the token exactly as shown and Okta sends it as <code>Authorization: Bearer …</code>.
${ui(HEADER_APP)} works too, if your Okta team prefers it: its ${ui('API Token')} field takes the token alone or <code>Bearer</code>, a space and the token.</p>
<p>Already signing in to this app with a SAML app you created with ${ui('Create App Integration')}? You can add provisioning to it instead of adding a new app:
open its ${ui('General')} tab, click ${ui('Edit')} under ${ui('App Settings')}, select ${ui('Enable SCIM provisioning')} under ${ui('Provisioning')} and click ${ui('Save')}.
Then go on with the next step; the fields have different names there, listed below the values.</p>`,
  },
  {
    id: 'okta-api-integration',
    title: 'Enter the Base URL and the token',
    body: html`<p>Open the app's ${ui('Provisioning')} tab, click ${ui('Configure API Integration')} and select ${ui('Enable API integration')}.
Paste these two values, which connect Okta to the directory of ${input.organizationName}:</p>
${copyField('Base URL', input.scimBaseUrl, 'okta-base-url')}
${tokenField(input, 'OAuth Bearer Token', 'okta-token')}
<p>In ${ui(HEADER_APP)}, the token goes into ${ui('API Token')}.</p>
<details>
  <summary>Existing SAML app (${ui('Enable SCIM provisioning')})</summary>
  <p>On the ${ui('Provisioning')} tab, open ${uiPath('Settings', 'Integration')} and click ${ui('Edit')}:</p>
  <ul>
    <li>${ui('SCIM connector base URL')}: the Base URL above.</li>
    <li>${ui('Unique identifier field for users')}: ${copyCode('userName', 'okta-unique-identifier')}</li>
    <li>${ui('Supported provisioning actions')}: select ${ui('Import New Users and Profile Updates')}, ${ui('Push New Users')}, ${ui('Push Profile Updates')} and ${ui('Push Groups')}.</li>
    <li>${ui('Authentication Mode')}: ${ui('HTTP Header')}. Paste the token into ${ui('Authorization')}.</li>
  </ul>
  <p>Click ${ui('Test Connector Configuration')} instead of ${ui('Test API Credentials')} in the next step.</p>
</details>`,
  },
  {
    id: 'okta-test',
    title: 'Test the connection',
    body: html`<p>Click ${ui('Test API Credentials')}. Okta reads the user list with the token; when it works, Okta shows a message that the app was verified successfully.
Click ${ui('Save')}. The ${ui('Provisioning')} tab now lists ${ui('To App')}, ${ui('To Okta')} and ${ui('Integration')} under ${ui('Settings')}.</p>
<p>If Okta reports an error, the failed request and how to fix it are in the ${link(input.logHref, 'request log')}.
An error that never shows up there usually means the Base URL was not pasted exactly.</p>`,
  },
  {
    id: 'okta-to-app',
    title: 'Choose what Okta may do',
    body: html`<p>On the ${ui('Provisioning')} tab, select ${ui('To App')} and click ${ui('Edit')}. Select ${ui('Enable')} for:</p>
<ul>
  <li>${ui('Create Users')}: assigning the app to someone creates their account here. If an account with the same username already exists, Okta links to it instead of creating a second one.</li>
  <li>${ui('Update User Attributes')}: changes to a person's Okta profile are sent here.</li>
  <li>${ui('Deactivate Users')}: unassigning someone, or deactivating them in Okta, deactivates their account here. The account is kept, not deleted, and is reactivated if the app is assigned again.</li>
</ul>
<p>Leave ${ui('Sync Password')} off: this app does not use passwords from Okta. Okta still sends a random password when it creates an account; it is discarded and never stored.
Click ${ui('Save')}.</p>`,
  },
  {
    id: 'okta-attributes',
    title: 'Check the attribute mappings',
    body: html`<p>Scroll down to ${ui('Attribute Mappings')} on the same page. Keep these:</p>
<ul>
  <li>${ui('Username')} <code>userName</code>: the unique identifier of each person here. By default it is the Okta username, usually the work email address (set on the ${ui('Sign On')} tab, ${ui('Application username format')}). No two people in this directory can have the same one, ignoring case.</li>
  <li>${ui('Given name')} <code>givenName</code> and ${ui('Family name')} <code>familyName</code>.</li>
  <li>${ui('Primary email')} <code>email</code> and ${ui('Primary email type')} <code>emailType</code>.</li>
</ul>
<p>These are stored too, if you keep them: ${ui('Display name')} <code>displayName</code>, <code>title</code>, ${ui('Department')} <code>department</code>, ${ui('Employee number')} <code>employeeNumber</code>, ${ui('Cost center')} <code>costCenter</code>, ${ui('Organization')} <code>organization</code>, ${ui('Division')} <code>division</code>, ${ui('Manager value')} <code>managerValue</code> and ${ui('Manager display name')} <code>managerDisplayName</code>, nickname, locale, time zone, phone numbers and addresses.
To drop one you do not need, click its <strong>X</strong> and confirm with ${ui('OK')}. Removing the attribute itself is optional: in ${ui('Go to Profile Editor')}, click its <strong>X</strong> and ${ui('Delete Attribute')}.</p>
<p>Whether groups grant roles here, or departments become groups, is set in ${link(input.mappingHref, 'mapping rules')}.</p>`,
  },
  {
    id: 'okta-assign',
    title: 'Assign people',
    body: html`<ol>
  <li>Open the ${ui('Assignments')} tab, click ${ui('Assign')} and choose ${ui('Assign to People')} or ${ui('Assign to Groups')}.</li>
  <li>Click ${ui('Assign')} next to each person or group, review the form, click ${ui('Save and Go Back')}, and click ${ui('Done')} at the end.</li>
</ol>
<p>Each assigned person usually gets an account here within seconds. Assigning an Okta group creates accounts for its members, but not the group itself: to send groups, use ${ui('Push Groups')}.</p>`,
  },
  {
    id: 'okta-push-groups',
    title: 'Push groups',
    body: html`<p>Open the ${ui('Push Groups')} tab, click ${ui('Push Groups')} and choose one:</p>
<ul>
  <li>${ui('Find groups by name')}: search for the group, keep ${ui('Push Immediately')} checked and click ${ui('Save')}.</li>
  <li>${ui('Find groups by rule')}: enter a ${ui('Rule name')}, set ${ui('Group name')} to ${ui('starts with')} a prefix, and click ${ui('Create Rule')}. Matching groups are pushed now and whenever they appear later.</li>
</ul>
<p>Assign a group's people to the app (previous step) before you push it: a push that names someone who has no account here fails.
Okta recommends using different groups for ${ui('Push Groups')} and for ${ui('Assignments')}.
Pushed groups appear under ${link(input.groupsHref, 'Groups')}.</p>`,
  },
  {
    id: 'okta-verify',
    title: 'Check that users and groups arrived',
    body: html`<p>Open ${link(input.usersHref, 'Users')} and ${link(input.groupsHref, 'Groups')} for ${input.organizationName}: the people you assigned and the groups you pushed should be listed.</p>
${notice(
  'info',
  html`Something missing? The ${link(input.logHref, 'request log')} lists every failed request with the reason and the fix in Okta's terms.
In Okta, failed assignments are listed in ${uiPath('Dashboard', 'Tasks')}, where you can retry them, and the app's ${ui('View Logs')} opens Okta's System Log.`,
)}`,
  },
];
