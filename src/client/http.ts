/**
 * The client's transport: one fetch per call, JSON in and out, errors as ScimitarApiError.
 * Uses the global fetch (Node 18+, browsers, Deno, Bun) unless another is passed.
 */

/** An error answered by the API: `status` is the HTTP status, `code` the stable error code. */
export class ScimitarApiError extends Error {
  override readonly name = 'ScimitarApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
  ) {
    super(message);
  }
}

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
}

export type Query = Record<string, string | number | boolean | undefined>;

export class Transport {
  private readonly root: string;
  /** The service's public URL: /sso/* lives beside /api/v1, not under it. */
  readonly serviceRoot: string;
  private readonly fetcher: typeof fetch;

  constructor(private readonly options: TransportOptions) {
    // Accept the service's public URL or the API root itself.
    const base = options.baseUrl.replace(/\/+$/, '');
    this.root = base.endsWith('/api/v1') ? base : `${base}/api/v1`;
    this.serviceRoot = this.root.slice(0, -'/api/v1'.length);
    this.fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** `path` is below /api/v1, or below the public URL with `outsideApi` (the /sso routes). */
  async request<T>(method: string, path: string, options: { query?: Query; body?: unknown; outsideApi?: boolean } = {}): Promise<T> {
    const url = new URL((options.outsideApi ? this.serviceRoot : this.root) + path);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.apiKey}`, accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.fetcher(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      throw new ScimitarApiError(
        response.status,
        typeof error?.code === 'string' ? error.code : 'http_error',
        typeof error?.message === 'string' ? error.message : `HTTP ${response.status} from ${method} ${url.pathname}`,
        response.headers.get('x-request-id'),
      );
    }
    return parsed as T;
  }
}

/** Encodes a path segment (ids are URL-safe, but a caller's typo must not change the path). */
export const seg = (value: string): string => encodeURIComponent(value);
