/** What every use case receives: the store, time, identifiers and the settings they obey. */
import type { Clock } from '../domain/clock.js';
import type { IdGenerator } from '../domain/ids.js';
import type { Store } from './ports.js';
import type { PageHints } from './scim/page-hints.js';
import type { FetchMetadata } from './sso/metadata-fetch.js';

export interface AppSettings {
  /** Public base URL, no trailing slash: SCIM locations are `${publicUrl}/scim/v2/<directoryId>/...`. */
  publicUrl: string;
  /** How long a rotated-out SCIM token keeps working. */
  tokenGraceMs: number;
  /** Largest `count` a list request may ask for. */
  maxPageSize: number;
}

export interface AppContext {
  store: Store;
  /** Per-process cache that lets list paging seek instead of skip. */
  pageHints: PageHints;
  clock: Clock;
  ids: IdGenerator;
  settings: AppSettings;
  /**
   * The SCIM request being served, when there is one: the SCIM handler gives each request a copy
   * of the context carrying it, and the use cases stamp it on the events they append, so a
   * user's history can show the request behind each change.
   */
  requestId?: string;
  /**
   * Reads an identity provider's metadata URL (SSO connections created from a URL, and their
   * refresh). Injected by the runtime (http(s) only, 5 s, 1 MiB, 3 redirects); absent, those
   * operations answer invalid_value and metadata must be given as XML.
   */
  fetchMetadata?: FetchMetadata;
}

export const scimBaseUrl = (settings: AppSettings, directoryId: string): string => `${settings.publicUrl}/scim/v2/${directoryId}`;
