/**
 * HTML built safely by construction: every value interpolated into `html\`...\`` is escaped
 * unless it is itself Html (from `html` or `raw`). Attribute values must be quoted in the
 * template; escaping covers both text and double- or single-quoted attributes.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Trusted markup only (our own constants); never data from a request or the directory. */
export const raw = (markup: string): Html => new Html(markup);

/** Joins fragments (a list of rows, say) into one. */
export const join = (parts: readonly HtmlValue[], separator: HtmlValue = ''): Html =>
  new Html(parts.map(render).join(render(separator)));
