/**
 * The real AppContext.fetchMetadata: reads an identity provider's metadata URL with global fetch.
 * http(s) only, at every hop; at most 3 redirects, followed by hand so each target is checked; one
 * 5 s deadline for the whole exchange, body included; 1 MiB, enforced while the body streams (a
 * Content-Length above it is refused before reading). Errors are ServiceError('invalid_value') with a
 * detail fit for an admin: the cause in words, never the body.
 */
import { METADATA_FETCH_LIMITS, type FetchMetadata } from '../app/sso/metadata-fetch.js';
import { ServiceError, isServiceError } from '../domain/errors.js';

export interface MetadataFetcherOptions {
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** For tests; global fetch by default. */
  fetch?: typeof fetch;
}

const fail = (why: string) => new ServiceError('invalid_value', `could not read the metadata URL: ${why}`);

function httpUrl(value: string | URL, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail(`${what} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw fail(`${what} is a ${url.protocol} URL; only http and https are allowed`);
  if (url.username || url.password) throw fail(`${what} has a user name or password in it, which is not supported`);
  return url;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
const mib = (bytes: number) => (bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`);

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  switch (code) {
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was closed before the document arrived';
    default:
      if (code?.startsWith('ERR_TLS') || code?.includes('CERT') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT') return `the TLS certificate was not accepted (${code})`;
      return `the request failed (${code ?? (error instanceof Error ? error.message : String(error))})`;
  }
}

/** @example const ctx = { ...ctx, fetchMetadata: createMetadataFetcher() }; */
export function createMetadataFetcher(options: MetadataFetcherOptions = {}): FetchMetadata {
  const timeoutMs = options.timeoutMs ?? METADATA_FETCH_LIMITS.timeoutMs;
  const maxBytes = options.maxBytes ?? METADATA_FETCH_LIMITS.maxBytes;
  const maxRedirects = options.maxRedirects ?? METADATA_FETCH_LIMITS.maxRedirects;
  const fetchImpl = options.fetch ?? fetch;
  const tooLarge = () => fail(`the document is larger than ${mib(maxBytes)}`);

  return async function fetchMetadata(url: string): Promise<string> {
    let current = httpUrl(url.trim(), 'the address');
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      for (let redirects = 0; ; redirects++) {
        const response = await fetchImpl(current, {
          redirect: 'manual',
          signal,
          headers: { accept: 'application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1' },
        });
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location !== null) {
          await response.body?.cancel().catch(() => {});
          if (redirects >= maxRedirects) throw fail(`more than ${maxRedirects} redirects`);
          let target: URL;
          try {
            target = new URL(location, current);
          } catch {
            throw fail('the server redirected to an address that is not a URL');
          }
          current = httpUrl(target, 'the server redirected to an address that');
          continue;
        }
        if (!response.ok) {
          await response.body?.cancel().catch(() => {});
          throw fail(`the server answered ${`${response.status} ${response.statusText}`.trim()}`);
        }
        const declared = Number(response.headers.get('content-length') ?? Number.NaN);
        if (Number.isFinite(declared) && declared > maxBytes) {
          await response.body?.cancel().catch(() => {});
          throw tooLarge();
        }
        const bytes = await readLimited(response, maxBytes, tooLarge);
        try {
          // fatal: a document that is not UTF-8 is refused rather than read wrongly; a BOM is dropped.
          return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          throw fail('the document is not UTF-8 text');
        }
      }
    } catch (error) {
      if (isServiceError(error)) throw error;
      if (signal.aborted) throw fail(`timed out after ${seconds(timeoutMs)}`);
      throw fail(networkReason(error));
    }
  };
}

async function readLimited(response: Response, maxBytes: number, tooLarge: () => ServiceError): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
