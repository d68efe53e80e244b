/**
 * Small building blocks shared by the portal's pages. All markup goes through `html`, so data
 * from the directory (display names, attributes the IdP sent) is always escaped.
 */
import { html, type Html, type HtmlValue } from './html.js';

/**
 * A value the administrator pastes into the IdP: a read-only field (selectable without
 * JavaScript) and a Copy button that portal.js reveals and wires up.
 */
export function copyField(label: string, value: string, id: string, options: { secret?: boolean } = {}): Html {
  return html`<div class="copy-field${options.secret ? ' secret' : ''}">
  <label for="${id}">${label}</label>
  <div class="copy-row"><input id="${id}" type="text" readonly value="${value}" spellcheck="false" autocomplete="off"><button type="button" class="copy" data-copy="${id}" hidden>Copy</button></div>
</div>`;
}

/** Inline code with a copy button, for short values inside a sentence or a table cell. */
export function copyCode(value: string, id: string): Html {
  return html`<span class="copy-inline"><code id="${id}">${value}</code> <button type="button" class="copy small" data-copy="${id}" data-copy-label="${value}" hidden>Copy</button></span>`;
}

/** A form that posts to `action` with the session's anti-forgery token. */
export function postForm(action: string, csrfToken: string, content: HtmlValue, options: { className?: string; label?: string } = {}): Html {
  return html`<form method="post" action="${action}"${options.className ? html` class="${options.className}"` : ''}${options.label ? html` aria-label="${options.label}"` : ''}><input type="hidden" name="_csrf" value="${csrfToken}">${content}</form>`;
}

export type Tone = 'ok' | 'warn' | 'bad' | 'muted';

export function badge(text: string, tone: Tone): Html {
  return html`<span class="badge ${tone}">${text}</span>`;
}

export function notice(tone: 'info' | 'success' | 'warning' | 'error', content: HtmlValue): Html {
  const role = tone === 'error' || tone === 'warning' ? 'alert' : 'status';
  return html`<div class="notice ${tone}" role="${role}">${content}</div>`;
}

/** "2 minutes ago", "in 3 hours": how long between `at` and `now`, in words. */
export function relativeTime(at: string | Date, now: Date): string {
  const ms = now.getTime() - new Date(at).getTime();
  const future = ms < 0;
  const seconds = Math.round(Math.abs(ms) / 1000);
  const [count, unit] =
    seconds < 45 ? [0, 'second']
    : seconds < 90 * 60 ? [Math.max(1, Math.round(seconds / 60)), 'minute']
    : seconds < 36 * 3600 ? [Math.round(seconds / 3600), 'hour']
    : [Math.round(seconds / 86400), 'day'];
  if (count === 0) return future ? 'in a few seconds' : 'just now';
  const words = `${count} ${unit}${count === 1 ? '' : 's'}`;
  return future ? `in ${words}` : `${words} ago`;
}

/** A timestamp readable by people, with the exact ISO value for machines and tooltips. */
export function time(at: string, now: Date): Html {
  return html`<time datetime="${at}" title="${at}">${relativeTime(at, now)}</time>`;
}
