/**
 * The port through which SSO use cases read an identity provider's metadata URL. The app layer does
 * no HTTP itself: the runtime injects an implementation (runtime/fetch-metadata.ts, global fetch) into
 * AppContext.fetchMetadata, and tests may inject their own.
 *
 * Contract: resolves to the document's text, or rejects with ServiceError('invalid_value',
 * 'could not read the metadata URL: …') whose detail is safe to show (it never quotes the body).
 */
export type FetchMetadata = (url: string) => Promise<string>;

/** What the runtime implementation enforces (also quoted in error messages and docs). */
export const METADATA_FETCH_LIMITS = {
  timeoutMs: 5_000,
  /** Same limit as parseIdpMetadata. */
  maxBytes: 1024 * 1024,
  maxRedirects: 3,
} as const;
