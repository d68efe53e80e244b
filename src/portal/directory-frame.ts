/** The heading, breadcrumbs and tabs every page of one directory shares. */
import type { Directory, Organization } from '../domain/model.js';
import type { HttpResponse } from '../http/types.js';
import { badge } from './components.js';
import { html, type HtmlValue } from './html.js';
import { tabs } from './layout.js';
import type { PageContext } from './page-context.js';
import { scope } from './page-context.js';

export type DirectoryTab = 'setup' | 'credentials' | 'users' | 'groups' | 'log' | 'mapping';

const TABS: { id: DirectoryTab; label: string; sub: string }[] = [
  { id: 'setup', label: 'Setup', sub: '' },
  { id: 'credentials', label: 'Credentials', sub: '/credentials' },
  { id: 'users', label: 'Users', sub: '/users' },
  { id: 'groups', label: 'Groups', sub: '/groups' },
  { id: 'log', label: 'Request log', sub: '/log' },
  { id: 'mapping', label: 'Mapping', sub: '/mapping' },
];

export function directoryHref(page: PageContext, tab: DirectoryTab): string {
  const { organization, directory } = scope(page);
  return page.paths.dir(organization.id, directory.id, TABS.find((t) => t.id === tab)!.sub);
}

export function statusBadge(directory: Directory): HtmlValue {
  return directory.status === 'active' ? badge('Active', 'ok') : badge('Inactive', 'muted');
}

/** Renders a directory page: "<Org> / <Directory>" crumbs, the title with its status, the tabs, then `content`. */
export function directoryPage(page: PageContext, tab: DirectoryTab, title: string, content: HtmlValue, options: { status?: number } = {}): HttpResponse {
  const { organization, directory } = scope(page);
  return page.page(
    `${title} · ${directory.name}`,
    html`<h1>${directory.name} ${statusBadge(directory)}</h1>
${tabs(TABS.map((t) => ({ href: page.paths.dir(organization.id, directory.id, t.sub), label: t.label, current: t.id === tab })))}
${content}`,
    { status: options.status, crumbs: crumbsFor(page, organization) },
  );
}

export function crumbsFor(page: PageContext, organization: Organization): { href: string; label: string }[] {
  const crumbs = [{ href: page.paths.org(organization.id), label: organization.name }];
  return page.viewer.isConsole ? [{ href: page.paths.console(), label: 'Console' }, ...crumbs] : crumbs;
}
