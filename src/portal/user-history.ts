/**
 * A user's history in words: each event about the user (created, updated with what changed,
 * deactivated, group memberships, roles) and the SCIM request that caused it. Everything in an
 * event came from the IdP, so every value goes through `html` (escaped).
 */
import type { UserHistoryEntry } from '../app/ports.js';
import type { DirectoryUser } from '../domain/directory-view.js';
import type { DirectoryEvent, EventCatalogue, EventType } from '../domain/events.js';
import type { JsonValue } from '../domain/json.js';
import { time } from './components.js';
import { html, join, type Html, type HtmlValue } from './html.js';

export interface HistoryLinks {
  /** The page of a group of this directory. */
  group(groupId: string): string;
  /** The request log filtered to requests naming the user. */
  log: string;
}

/** Labels of the normalized user's fields, as an administrator reads them. */
const FIELD_LABELS: Partial<Record<keyof DirectoryUser, string>> = {
  idpId: 'externalId',
  userName: 'userName',
  email: 'primary email',
  emails: 'emails',
  firstName: 'first name',
  lastName: 'last name',
  displayName: 'display name',
  title: 'title',
  department: 'department',
  employeeNumber: 'employee number',
  costCenter: 'cost center',
  organization: 'organization',
  division: 'division',
  manager: 'manager',
  customAttributes: 'custom attributes',
  groups: 'groups',
  roles: 'roles',
  source: 'source',
  state: 'state',
};

/** A field's value in a few words: "(empty)" for nothing, lists joined, objects briefly. */
export function formatField(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '(none)';
    return value
      .map((item: unknown) => {
        if (typeof item === 'string') return item;
        if (item && typeof item === 'object') {
          const o = item as Record<string, unknown>;
          if (typeof o['value'] === 'string') return `${o['value']}${o['primary'] === true ? ' (primary)' : ''}`;
          if (typeof o['name'] === 'string') return o['name'];
        }
        return JSON.stringify(item);
      })
      .join(', ');
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (key === 'manager') {
      const shown = o['displayName'] ?? o['value'] ?? o['id'];
      return typeof shown === 'string' ? shown : '(empty)';
    }
    if (Object.keys(o).length === 0) return '(none)';
    return JSON.stringify(value as JsonValue);
  }
  return String(value);
}

/**
 * SCIM attributes whose changes the normalized fields already show (or that are not
 * attributes: schemas, meta), skipped when comparing the raw resources. Lower-cased.
 */
const NORMALIZED_RAW_KEYS = new Set([
  'schemas', 'id', 'meta', 'username', 'externalid', 'displayname', 'name', 'emails', 'title', 'active', 'groups', 'password',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user',
]);

/** Top-level attributes outside the normalized fields that differ (locale, nickName, phoneNumbers, ...). */
function rawChanges(before: unknown, after: unknown): { key: string; before: unknown; after: unknown }[] {
  if (!isObject(before) || !isObject(after)) return [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys
    .filter((key) => {
      const lower = key.toLowerCase();
      // Other extension schemas are the custom attributes, compared as a normalized field.
      return !NORMALIZED_RAW_KEYS.has(lower) && !lower.startsWith('urn:') && JSON.stringify(before[key]) !== JSON.stringify(after[key]);
    })
    .map((key) => ({ key, before: before[key], after: after[key] }));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "title Engineer → Staff Engineer; locale en-US → fr-FR": what a user.updated changed. */
export function describeChanges(data: EventCatalogue['user.updated']): Html {
  const after = data.user as unknown as Record<string, unknown>;
  const previous = data.previous as Record<string, unknown>;
  const fields = Object.entries(previous)
    .filter(([key]) => key !== 'raw' && key !== 'updatedAt' && key !== 'createdAt')
    .map(([key, before]) => ({ label: FIELD_LABELS[key as keyof DirectoryUser] ?? key, before: formatField(key, before), after: formatField(key, after[key]) }));
  const raw = rawChanges(previous['raw'], data.user.raw).map((c) => ({ label: c.key, before: formatField(c.key, c.before), after: formatField(c.key, c.after) }));
  const changes = [...fields, ...raw].map(
    (c) => html`<span class="change">${c.label} <span class="diff-remove">${c.before}</span> → <span class="diff-add">${c.after}</span></span>`,
  );
  return changes.length ? join(changes, '; ') : html`other SCIM attributes changed (see the request in the log)`;
}

const is = <T extends EventType>(event: DirectoryEvent, type: T): event is DirectoryEvent<T> => event.type === type;

/** What happened, in words. */
export function describeEvent(event: DirectoryEvent, links: HistoryLinks): HtmlValue {
  if (is(event, 'user.created')) return event.data.user.source === 'saml_jit' ? 'Created at first sign-in (SAML just-in-time)' : 'Created';
  if (is(event, 'user.updated')) return html`Updated: ${describeChanges(event.data)}`;
  if (is(event, 'user.deactivated')) return 'Deactivated';
  if (is(event, 'user.reactivated')) return 'Reactivated';
  if (is(event, 'user.deleted')) return 'Deleted';
  if (is(event, 'group.member_added')) return html`Added to group <a href="${links.group(event.data.group.id)}">${event.data.group.name}</a>`;
  if (is(event, 'group.member_removed')) return html`Removed from group <a href="${links.group(event.data.group.id)}">${event.data.group.name}</a>`;
  if (is(event, 'user.role_granted')) return html`Role granted: ${event.data.role}`;
  if (is(event, 'user.role_revoked')) return html`Role revoked: ${event.data.role}`;
  return event.type;
}

/** Which request caused it: "PATCH /scim/v2/…/Users/… → 200 from 203.0.113.7", linking to the request log. */
export function describeCause(entry: UserHistoryEntry, links: HistoryLinks, now: Date): HtmlValue {
  const r = entry.request;
  if (!r) {
    return html`<span class="muted">No SCIM request on record: a mapping rule or setting change, or the request's log entry has expired.</span>`;
  }
  return html`<a href="${links.log}" class="mono">${r.method} ${r.path} → ${r.status}</a>${r.clientIp ? html` from <span class="mono">${r.clientIp}</span>` : ''} <span class="hint">${time(r.at, now)}</span>`;
}

/** The history table (newest first), or a sentence when there is nothing yet. */
export function historyTable(entries: UserHistoryEntry[], links: HistoryLinks, now: Date): Html {
  if (entries.length === 0) return html`<p class="muted">No recorded changes for this user (events older than the retention period are removed).</p>`;
  return html`<div class="table-wrap"><table class="history"><thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Caused by</th></tr></thead><tbody>${entries.map(
    (e) => html`<tr><td>${time(e.event.occurredAt, now)}</td><td>${describeEvent(e.event, links)}</td><td>${describeCause(e, links, now)}</td></tr>`,
  )}</tbody></table></div>`;
}
