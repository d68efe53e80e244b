/**
 * `scimitar/client`: a typed client for Scimitar's REST API (/api/v1), and verifyWebhook()
 * for deliveries. Runs wherever fetch does; carries no server code.
 * @example
 * import { ScimitarClient } from 'scimitar/client';
 * const scimitar = new ScimitarClient({ baseUrl: 'https://idp.example.com', apiKey: process.env.SCIMITAR_API_KEY! });
 * for await (const user of scimitar.listUsers(directoryId, { state: 'active' })) console.log(user.email);
 */
import { seg, Transport, type Query, type TransportOptions } from './http.js';
import type {
  ApiDirectory,
  CreateDirectoryInput,
  CreatedDirectory,
  CreatedWebhookEndpoint,
  DeadLetter,
  DeliveryAttempt,
  DirectoryGroup,
  DirectoryUser,
  EventsPage,
  Organization,
  Page,
  PollOptions,
  PortalLink,
  RotatedToken,
  SsoProfile,
  UserFilters,
  WebhookEndpoint,
} from './types.js';

export { ScimitarApiError, type TransportOptions as ScimitarClientOptions } from './http.js';
export type * from './types.js';
export { verifyWebhook, WebhookVerificationError } from '../events/signature.js';

/** Every item of a paginated list, fetched page by page as you iterate; `pages()` yields the pages. */
export interface Paginated<T> extends AsyncIterable<T> {
  pages(): AsyncIterable<Page<T>>;
  /** Collects every item (mind the size of large directories). */
  toArray(): Promise<T[]>;
}

function paginate<T>(fetchPage: (after: string | undefined) => Promise<Page<T>>): Paginated<T> {
  async function* pages(): AsyncGenerator<Page<T>> {
    let after: string | undefined;
    do {
      const page = await fetchPage(after);
      yield page;
      after = page.nextCursor ?? undefined;
    } while (after !== undefined);
  }
  async function* items(): AsyncGenerator<T> {
    for await (const page of pages()) yield* page.data;
  }
  return {
    [Symbol.asyncIterator]: items,
    pages,
    async toArray() {
      const out: T[] = [];
      for await (const item of items()) out.push(item);
      return out;
    },
  };
}

export class ScimitarClient {
  private readonly http: Transport;

  /** `baseUrl`: Scimitar's public URL (or its `/api/v1`); `apiKey`: a key from `scimitar api-key create`. */
  constructor(options: TransportOptions) {
    this.http = new Transport(options);
  }

  readonly organizations = {
    list: async (): Promise<Organization[]> => (await this.http.request<{ data: Organization[] }>('GET', '/organizations')).data,
    /** Needs a global API key. */
    create: (input: { name: string }): Promise<Organization> => this.http.request('POST', '/organizations', { body: input }),
    get: (id: string): Promise<Organization> => this.http.request('GET', `/organizations/${seg(id)}`),
    /** A single-use setup link for the organization's IT administrator (default 24 h); the URL is shown only here. */
    createPortalLink: (id: string, input: { expiresInHours?: number } = {}): Promise<PortalLink> =>
      this.http.request('POST', `/organizations/${seg(id)}/portal-links`, { body: input }),
  };

  /** SAML single sign-on, handed over like OAuth 2.0 (docs/sso.md). */
  readonly sso = {
    /** Where to send the browser to sign in: `organization` is an id or an email domain; `redirectUri` must be registered on the connection. */
    authorizeUrl: (input: { organization: string; redirectUri: string; state: string; connection?: string; loginHint?: string }): string => {
      const url = new URL(`${this.http.serviceRoot}/sso/authorize`);
      url.searchParams.set('organization', input.organization);
      url.searchParams.set('redirect_uri', input.redirectUri);
      url.searchParams.set('state', input.state);
      if (input.connection) url.searchParams.set('connection', input.connection);
      if (input.loginHint) url.searchParams.set('login_hint', input.loginHint);
      return url.toString();
    },
    /** Exchanges the `code` your redirect URI received (single use, 60 s) for the signed-in user's profile. */
    exchangeCode: (code: string): Promise<SsoProfile> => this.http.request('POST', '/sso/token', { body: { code }, outsideApi: true }),
  };

  readonly directories = {
    list: async (filter: { organizationId?: string } = {}): Promise<ApiDirectory[]> =>
      (await this.http.request<{ data: ApiDirectory[] }>('GET', '/directories', { query: filter })).data,
    /** Returns the SCIM base URL and bearer token for the IdP; the token is shown only here. */
    create: (input: CreateDirectoryInput): Promise<CreatedDirectory> => this.http.request('POST', '/directories', { body: input }),
    get: (id: string): Promise<ApiDirectory> => this.http.request('GET', `/directories/${seg(id)}`),
    setStatus: (id: string, status: 'active' | 'inactive'): Promise<ApiDirectory> =>
      this.http.request('PATCH', `/directories/${seg(id)}`, { body: { status } }),
    rotateToken: (id: string, options: { revokeOld?: boolean } = {}): Promise<RotatedToken> =>
      this.http.request('POST', `/directories/${seg(id)}/token`, { body: options }),
    getSettings: <T = Record<string, unknown>>(id: string): Promise<T> => this.http.request('GET', `/directories/${seg(id)}/settings`),
    updateSettings: <T = Record<string, unknown>>(id: string, settings: Partial<T>): Promise<T> =>
      this.http.request('PATCH', `/directories/${seg(id)}/settings`, { body: settings }),
  };

  /** Every user matching the filters, across pages: `for await (const user of client.listUsers(id))`. */
  listUsers(directoryId: string, filters: UserFilters = {}): Paginated<DirectoryUser> {
    const { limit, ...rest } = filters;
    return paginate((after) => this.http.request('GET', `/directories/${seg(directoryId)}/users`, { query: { ...rest, limit, after } }));
  }

  getUser(directoryId: string, userId: string): Promise<DirectoryUser> {
    return this.http.request('GET', `/directories/${seg(directoryId)}/users/${seg(userId)}`);
  }

  listGroups(directoryId: string, options: { limit?: number } = {}): Paginated<DirectoryGroup> {
    return paginate((after) => this.http.request('GET', `/directories/${seg(directoryId)}/groups`, { query: { limit: options.limit, after } }));
  }

  getGroup(directoryId: string, groupId: string): Promise<DirectoryGroup> {
    return this.http.request('GET', `/directories/${seg(directoryId)}/groups/${seg(groupId)}`);
  }

  listGroupMembers(directoryId: string, groupId: string, options: { limit?: number } = {}): Paginated<DirectoryUser> {
    return paginate((after) =>
      this.http.request('GET', `/directories/${seg(directoryId)}/groups/${seg(groupId)}/members`, { query: { limit: options.limit, after } }),
    );
  }

  readonly events = {
    /**
     * One call of the pull API. Keep `nextCursor` (durably, after processing `data`) and pass it
     * as `after` next time: resuming then neither skips nor repeats an event.
     */
    poll: (options: PollOptions = {}): Promise<EventsPage> => this.http.request('GET', '/events', { query: options as Query }),
  };

  readonly webhooks = {
    list: async (filter: { organizationId?: string } = {}): Promise<WebhookEndpoint[]> =>
      (await this.http.request<{ data: WebhookEndpoint[] }>('GET', '/webhook-endpoints', { query: filter })).data,
    /** Returns the signing secret, shown only here. */
    create: (input: { organizationId?: string; url: string; eventTypes?: string[]; enabled?: boolean }): Promise<CreatedWebhookEndpoint> =>
      this.http.request('POST', '/webhook-endpoints', { body: input }),
    get: (id: string): Promise<WebhookEndpoint> => this.http.request('GET', `/webhook-endpoints/${seg(id)}`),
    update: (id: string, patch: { url?: string; eventTypes?: string[]; enabled?: boolean }): Promise<WebhookEndpoint> =>
      this.http.request('PATCH', `/webhook-endpoints/${seg(id)}`, { body: patch }),
    delete: async (id: string): Promise<void> => {
      await this.http.request('DELETE', `/webhook-endpoints/${seg(id)}`);
    },
    /** Newest first, optionally for one event. */
    attempts: async (id: string, options: { eventId?: string; limit?: number } = {}): Promise<DeliveryAttempt[]> =>
      (await this.http.request<{ data: DeliveryAttempt[] }>('GET', `/webhook-endpoints/${seg(id)}/attempts`, { query: options })).data,
    deadLetters: async (id: string): Promise<DeadLetter[]> =>
      (await this.http.request<{ data: DeadLetter[] }>('GET', `/webhook-endpoints/${seg(id)}/dead-letters`)).data,
    /** Queues dead letters for another try: one event, or all of them. */
    redeliver: (id: string, input: { eventId: string } | { allDead: true }): Promise<{ queued: number }> =>
      this.http.request('POST', `/webhook-endpoints/${seg(id)}/redeliver`, { body: input }),
  };
}
