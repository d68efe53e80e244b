/**
 * The page frame: document head (our stylesheet and script only), the top bar with who is
 * signed in, breadcrumbs, and the main landmark. Pages pass their content as Html.
 */
import { html, type Html, type HtmlValue } from './html.js';
import type { PortalPaths } from './paths.js';

export interface Viewer {
  /** Shown in the top bar: the organization's name, or "Console" with the admin's email. */
  label: string;
  csrfToken: string;
  /** The console may see every organization; a setup-link session one. */
  isConsole: boolean;
}

export interface PageFrame {
  title: string;
  paths: PortalPaths;
  assets: { css: string; js: string };
  viewer?: Viewer;
  crumbs?: { href: string; label: string }[];
  /** Product name in the top bar (the host app may brand it). */
  brand: string;
}

export function renderPage(frame: PageFrame, content: HtmlValue): Html {
  const { paths, viewer } = frame;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${frame.title} · ${frame.brand}</title>
<link rel="stylesheet" href="${paths.asset(frame.assets.css)}">
<script src="${paths.asset(frame.assets.js)}" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><div class="bar">
<a class="brand" href="${paths.home()}">${frame.brand}</a>
${viewer
  ? html`<div class="who"><span>${viewer.label}</span>${viewer.isConsole ? html`<a href="${paths.console()}">Console</a>` : ''}<form method="post" action="${paths.logout()}"><input type="hidden" name="_csrf" value="${viewer.csrfToken}"><button type="submit" class="link">Sign out</button></form></div>`
  : ''}
</div></header>
<main id="main" tabindex="-1">
${frame.crumbs?.length ? html`<nav class="crumbs" aria-label="Breadcrumb">${frame.crumbs.map((c, i) => html`${i > 0 ? ' / ' : ''}<a href="${c.href}">${c.label}</a>`)}</nav>` : ''}
${content}
</main>
</body>
</html>`;
}

/** Tabs of a directory's pages; the current one is marked for screen readers. */
export function tabs(items: { href: string; label: string; current: boolean }[]): Html {
  return html`<nav class="tabs" aria-label="Directory sections">${items.map(
    (t) => html`<a href="${t.href}"${t.current ? html` aria-current="page"` : ''}>${t.label}</a>`,
  )}</nav>`;
}
