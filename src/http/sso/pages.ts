/**
 * The pages a person may see during a SAML sign-in: only when it fails (a success is a redirect).
 * Plain words, the correlation id to quote, nothing from the request echoed but that id. One
 * inline stylesheet, allowed by its hash; no script, no form, no frames.
 */
import { createHash } from 'node:crypto';
import type { HttpResponse } from '../types.js';

const STYLE =
  'body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;background:#f5f6f8;color:#1f2328}' +
  'main{max-width:34rem;margin:12vh auto 0;padding:2rem 2.25rem;background:#fff;border:1px solid #d0d7de;border-radius:10px}' +
  'h1{font-size:1.35rem;margin:0 0 .75rem}p{margin:.5rem 0}.ref{margin-top:1.5rem;color:#57606a;font-size:.9rem}' +
  'code{font:600 1rem ui-monospace,SFMono-Regular,Menlo,monospace;color:#1f2328;letter-spacing:.03em}';

export const SSO_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'; img-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`,
  'x-content-type-options': 'nosniff',
  // Sign-in URLs carry state and codes: never send them to another site in a Referer.
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cache-control': 'no-store',
};

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface SignInPage {
  status: number;
  title: string;
  message: string;
  /** The attempt's correlation id, when the failure was logged against a connection. */
  correlationId?: string | null;
  /** Otherwise the request id, so an operator can still find it in the server log. */
  requestId?: string;
  headers?: Record<string, string>;
}

export function signInPage(page: SignInPage): HttpResponse {
  const reference = page.correlationId
    ? `<p class="ref">If you contact your IT administrator, quote this reference: <code>${escapeHtml(page.correlationId)}</code></p>`
    : page.requestId
      ? `<p class="ref">Reference for support: <code>${escapeHtml(page.requestId)}</code></p>`
      : '';
  const body =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(page.title)}</title><style>${STYLE}</style></head>` +
    `<body><main><h1>${escapeHtml(page.title)}</h1><p>${escapeHtml(page.message)}</p>${reference}</main></body></html>`;
  return { status: page.status, headers: { 'content-type': 'text/html; charset=utf-8', ...page.headers }, body };
}

/** The page title for a sign-in failure, by its code and status. */
export function failureTitle(code: string, status: number): string {
  if (code === 'user_deactivated') return 'Your account is deactivated';
  if (code === 'user_not_provisioned') return 'You do not have access yet';
  if (status === 404) return 'Sign-in address not found';
  return 'Sign-in failed';
}
