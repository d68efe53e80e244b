/**
 * A directory's mapping rules: the role prefix (Envi's "User Role Prefix": group Envi_Admin
 * grants the role Admin), explicit group → role mappings, and department groups (MangoApps).
 * "Preview changes" shows who would gain or lose which role and saves nothing
 * (preview-directory-settings.ts); "Save" writes the rules with updateDirectorySettings, which
 * recomputes every user's roles. Rows are added without JavaScript: the form always ends with
 * a few empty rows, and clearing both fields of a row removes it.
 */
import { getDirectorySettings, updateDirectorySettings, type DirectorySettings, type DirectorySettingsUpdate } from '../../app/admin/directory-settings.js';
import { previewDirectorySettings, type DirectorySettingsPreview, type RoleChangePreview } from '../../app/admin/preview-directory-settings.js';
import { isServiceError } from '../../domain/errors.js';
import type { HttpResponse } from '../../http/types.js';
import { notice } from '../components.js';
import { directoryHref, directoryPage } from '../directory-frame.js';
import { providerName } from '../health.js';
import { html, type Html, type HtmlValue } from '../html.js';
import { scope, type PageContext, type PortalRoute } from '../page-context.js';

/** Empty rows after the filled ones: room to add mappings without JavaScript. */
const EMPTY_ROWS = 3;
/** More rows than the service accepts (500) is refused by it; this only bounds the parsing. */
const MAX_ROWS = 1000;
/** Role changes listed by name in a preview; the counts are always complete. */
const MAX_LISTED = 500;

interface MappingRow {
  group: string;
  role: string;
}

/** The form as the administrator filled it in (kept as typed, to render it again). */
interface MappingForm {
  prefix: string;
  rows: MappingRow[];
  departmentGroups: boolean;
}

/** What a failed validation points at: a row's field or the prefix, for aria-invalid. */
interface Invalid {
  message: string;
  field?: { row: number; name: 'group' | 'role' } | 'prefix';
}

function formOf(settings: DirectorySettings): MappingForm {
  return {
    prefix: settings.roles.prefix ?? '',
    rows: settings.roles.mappings.map((m) => ({ group: m.group, role: m.role })),
    departmentGroups: settings.departmentGroups.enabled,
  };
}

/**
 * Reads `group[i]`/`role[i]` (what this page renders, in index order) and repeated
 * `group`/`role` fields (paired in order). Rows with both fields blank are dropped.
 */
export function readMappingForm(form: URLSearchParams): MappingForm {
  const indexed = new Map<number, MappingRow>();
  for (const [key, value] of form) {
    const m = /^(group|role)\[(\d{1,6})\]$/.exec(key);
    if (!m) continue;
    const index = Number(m[2]);
    const row = indexed.get(index) ?? { group: '', role: '' };
    row[m[1] as 'group' | 'role'] = value;
    indexed.set(index, row);
  }
  const rows = [...indexed.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row);
  const groups = form.getAll('group');
  const roles = form.getAll('role');
  for (let i = 0; i < Math.max(groups.length, roles.length); i++) rows.push({ group: groups[i] ?? '', role: roles[i] ?? '' });
  return {
    prefix: form.get('prefix') ?? '',
    rows: rows.filter((r) => r.group.trim() !== '' || r.role.trim() !== '').slice(0, MAX_ROWS),
    departmentGroups: form.get('department_groups') === '1',
  };
}

/** The whole rule set as an update (every key named, so the form is the truth). */
function updateOf(form: MappingForm): DirectorySettingsUpdate {
  const prefix = form.prefix.trim();
  return {
    roles: { prefix: prefix === '' ? null : prefix, mappings: form.rows.map((r) => ({ group: r.group, role: r.role })) },
    departmentGroups: { enabled: form.departmentGroups },
  };
}

/** `settings.roles.mappings.2.role: must not be empty` → words about row 3 of the form. */
function invalidOf(detail: string, form: MappingForm): Invalid {
  const row = /^settings\.roles\.mappings\.(\d+)\.(group|role): (.*)$/.exec(detail);
  if (row) {
    const index = Number(row[1]);
    const name = row[2] as 'group' | 'role';
    const group = form.rows[index]?.group.trim();
    const where = `Mapping ${index + 1}${name === 'role' && group ? ` (group “${group}”)` : ''}`;
    return { message: `${where}: the ${name === 'group' ? 'group name' : 'role'} ${row[3]}.`, field: { row: index, name } };
  }
  const prefix = /^settings\.roles\.prefix: (.*)$/.exec(detail);
  if (prefix) return { message: `Role prefix: it ${prefix[1]}.`, field: 'prefix' };
  const mappings = /^settings\.roles\.mappings: (.*)$/.exec(detail);
  if (mappings) return { message: `Group mappings: there ${mappings[1]}.` };
  return { message: detail };
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function changeList(changes: RoleChangePreview[], verb: string, className: string): Html {
  if (changes.length === 0) return html`<p class="muted">No one.</p>`;
  const shown = changes.slice(0, MAX_LISTED);
  return html`<ul class="role-changes ${className}">${shown.map(
    (c) => html`<li><span class="mono">${c.user.userName}</span> ${verb} <strong>${c.role}</strong></li>`,
  )}</ul>${changes.length > shown.length ? html`<p class="hint">and ${changes.length - shown.length} more.</p>` : ''}`;
}

function previewPanel(preview: DirectorySettingsPreview, current: DirectorySettings): Html {
  const people = (changes: RoleChangePreview[]) => new Set(changes.map((c) => c.user.id)).size;
  const same = JSON.stringify(preview.settings) === JSON.stringify(current);
  const department =
    preview.settings.departmentGroups.enabled === current.departmentGroups.enabled
      ? ''
      : preview.settings.departmentGroups.enabled
        ? html`<p>Department groups would be turned <strong>on</strong>: from the next time a user's department is set or changed, they join that department's group. Nobody's groups change now.</p>`
        : html`<p>Department groups would be turned <strong>off</strong>: department changes no longer add anyone to a group. Existing memberships stay.</p>`;
  return html`<section class="panel preview" aria-labelledby="preview-h">
<h2 id="preview-h" class="panel-title">Preview: what Save would change</h2>
<p><strong>Nothing has been saved yet.</strong> ${same ? 'These are the rules already in place: saving would change nothing.' : 'Check the lists, then click Save below to apply these rules.'}</p>
${department}
<div class="grid">
<div><h3 id="gain-h">Gain a role (${preview.granted.length})</h3>${preview.granted.length ? html`<p class="hint">${plural(preview.granted.length, 'role', 'roles')} for ${plural(people(preview.granted), 'person', 'people')}</p>` : ''}${changeList(preview.granted, 'gains', 'diff-add')}</div>
<div><h3 id="lose-h">Lose a role (${preview.revoked.length})</h3>${preview.revoked.length ? html`<p class="hint">${plural(preview.revoked.length, 'role', 'roles')} from ${plural(people(preview.revoked), 'person', 'people')}</p>` : ''}${changeList(preview.revoked, 'loses', 'diff-remove')}</div>
</div>
</section>`;
}

/** A text input with its label; marked invalid (and pointing at the error) when `invalid`. */
function invalidAttrs(invalid: boolean): HtmlValue {
  return invalid ? html` aria-invalid="true" aria-describedby="form-error"` : '';
}

async function mappingPage(
  page: PageContext,
  options: { form?: MappingForm; banner?: HtmlValue; preview?: Html; invalid?: Invalid; status?: number } = {},
): Promise<HttpResponse> {
  const { directory } = scope(page);
  const form = options.form ?? formOf(await getDirectorySettings(page.ctx, directory.id));
  const groups = await page.ctx.store.groups.list(directory.id, undefined, { offset: 0, limit: 200 });
  const idp = providerName(directory.provider);
  const invalid = options.invalid;
  const isBad = (row: number, name: 'group' | 'role') => typeof invalid?.field === 'object' && invalid.field.row === row && invalid.field.name === name;
  const rows = [...form.rows, ...Array.from({ length: EMPTY_ROWS }, () => ({ group: '', role: '' }))];
  const done = page.query.get('done') === 'saved' ? savedNotice(page.query) : '';
  const href = directoryHref(page, 'mapping');

  return directoryPage(
    page,
    'mapping',
    'Mapping',
    html`${done}${invalid ? html`<div class="notice error" role="alert" id="form-error"><p><strong>Not saved.</strong> ${invalid.message}</p></div>` : ''}${options.banner ?? ''}
<p>These rules turn what ${idp} sends into this app's roles and groups. Every rule is off until you set it. Use <strong>Preview changes</strong> to see who would gain or lose a role before you save.</p>
${options.preview ?? ''}
<form method="post" action="${href}" class="mapping">
<input type="hidden" name="_csrf" value="${page.viewer.csrfToken}">
<section class="panel" aria-labelledby="roles-h">
<h2 id="roles-h" class="panel-title">Roles from groups</h2>
<label for="prefix">Role prefix</label>
<p class="hint" id="prefix-hint">Groups whose name starts with this text grant the rest of their name as a role. With <code>Envi_</code>, members of the group <code>Envi_Admin</code> get the role <code>Admin</code>, and members of <code>Envi_Viewer</code> get <code>Viewer</code>. Names are compared ignoring case. Leave it empty for no prefix.</p>
<input type="text" id="prefix" name="prefix" value="${form.prefix}" maxlength="100" spellcheck="false" autocomplete="off" aria-describedby="prefix-hint${invalid?.field === 'prefix' ? ' form-error' : ''}"${invalid?.field === 'prefix' ? html` aria-invalid="true"` : ''}>
<h3 id="mappings-h">Group → role mappings</h3>
<p class="hint" id="mappings-hint">For groups without a naming scheme: members of the group get the role. A group can grant several roles (one row each). Group names are compared ignoring case. To remove a mapping, clear both of its fields; to add more than ${EMPTY_ROWS}, save or preview and new empty rows appear.</p>
<div class="table-wrap"><table class="mapping-rows" aria-labelledby="mappings-h" aria-describedby="mappings-hint">
<thead><tr><th scope="col">Group name</th><th scope="col">Role</th></tr></thead>
<tbody>${rows.map(
      (r, i) => html`<tr>
<td><label class="sr-only" for="group-${i}">Group name, mapping ${i + 1}</label><input type="text" id="group-${i}" name="group[${i}]" value="${r.group}" maxlength="256" list="group-names" spellcheck="false" autocomplete="off"${invalidAttrs(isBad(i, 'group'))}></td>
<td><label class="sr-only" for="role-${i}">Role, mapping ${i + 1}</label><input type="text" id="role-${i}" name="role[${i}]" value="${r.role}" maxlength="256" spellcheck="false" autocomplete="off"${invalidAttrs(isBad(i, 'role'))}></td>
</tr>`,
    )}</tbody></table></div>
${groups.items.length ? html`<datalist id="group-names">${groups.items.map((g) => html`<option value="${g.displayName}"></option>`)}</datalist>` : ''}
</section>
<section class="panel" aria-labelledby="dept-h">
<h2 id="dept-h" class="panel-title">Department groups</h2>
<label class="check" for="department_groups"><input type="checkbox" id="department_groups" name="department_groups" value="1" aria-describedby="dept-hint"${form.departmentGroups ? html` checked` : ''}> Put each user in the group of their department</label>
<p class="hint" id="dept-hint">When a user's department (the enterprise <code>department</code> attribute ${idp} sends) is set to X, or changes to X, the user becomes a member of the group named “X”, which is created if it does not exist yet. The user stays in the groups of earlier departments, as MangoApps does. Turning this on changes nobody's groups now: it acts on the next department change.</p>
</section>
<div class="actions">
<button type="submit" name="action" value="preview" class="secondary">Preview changes</button>
<button type="submit" name="action" value="save">Save</button>
</div>
</form>`,
    { status: options.status },
  );
}

function savedNotice(query: URLSearchParams): Html {
  const count = (name: string): number | undefined => {
    const value = query.get(name);
    return value !== null && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
  };
  const granted = count('granted');
  const revoked = count('revoked');
  if (granted === undefined || revoked === undefined) return notice('success', html`<p>Saved.</p>`);
  const roles =
    granted === 0 && revoked === 0
      ? 'No one gained or lost a role.'
      : `${plural(granted, 'role was', 'roles were')} granted and ${plural(revoked, 'role was', 'roles were')} revoked.`;
  return notice('success', html`<p>Saved. ${roles}</p>`);
}

async function submitMapping(page: PageContext): Promise<HttpResponse> {
  const { directory } = scope(page);
  const form = readMappingForm(page.form);
  const settings = updateOf(form);
  const save = page.form.get('action') === 'save';
  try {
    // Validated by the service (invalid_value names the bad value). The preview's counts are
    // what the save announces: both run the same code on the same data, a moment apart.
    const preview = await previewDirectorySettings(page.ctx, { directoryId: directory.id, settings });
    if (!save) {
      const current = await getDirectorySettings(page.ctx, directory.id);
      return mappingPage(page, { form, preview: previewPanel(preview, current) });
    }
    await updateDirectorySettings(page.ctx, { directoryId: directory.id, settings });
    return page.redirect(`${directoryHref(page, 'mapping')}?done=saved&granted=${preview.granted.length}&revoked=${preview.revoked.length}`);
  } catch (error) {
    if (isServiceError(error) && error.code === 'invalid_value') {
      return mappingPage(page, { form, invalid: invalidOf(error.detail, form), status: 400 });
    }
    throw error;
  }
}

export const mappingRoutes: PortalRoute[] = [
  { method: 'GET', path: '/o/{org}/d/{dir}/mapping', handle: (page) => mappingPage(page) },
  { method: 'POST', path: '/o/{org}/d/{dir}/mapping', handle: (page) => submitMapping(page) },
];
