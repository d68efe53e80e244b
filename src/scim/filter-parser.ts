/**
 * Parses SCIM filters (RFC 7644 §3.4.2.2, the ABNF of Figure 1) and PATCH paths (RFC 7644 §3.5.2)
 * into the AST of ./types.ts: a tokenizer, then a recursive-descent parser. Never throws;
 * every failure is a Problem naming the position (0-based character offset) and what was expected.
 */
import { err, ok, type Result } from '../domain/result.js';
import { problem, type ErrorCode, type Problem } from '../domain/errors.js';
import { ALL_SCHEMAS } from './schemas.js';
import type { AttrPath, CompareOp, Filter, JsonPrimitive, PatchPath } from './types.js';

/** Bounds that keep a hostile filter from costing more than a legitimate one ever needs. */
export const MAX_FILTER_LENGTH = 4096;
export const MAX_FILTER_DEPTH = 32;

const COMPARE_OPS: readonly CompareOp[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
const ORDERING_OPS: readonly CompareOp[] = ['gt', 'ge', 'lt', 'le'];

type TokenKind = 'word' | 'string' | 'number' | '(' | ')' | '[' | ']' | '.' | 'eof';
interface Token {
  kind: TokenKind;
  pos: number;
  /** The source text of the token (for error messages). */
  raw: string;
  /** Decoded value of string and number tokens. */
  value?: string | number;
}

/** Raised inside the parser only; converted to a Problem at the two entry points. */
class ParseFailure {
  constructor(readonly detail: string) {}
}
function fail(detail: string): never {
  throw new ParseFailure(detail);
}

const at = (pos: number, length: number): string => (pos >= length ? `at position ${pos} (end of input)` : `at position ${pos}`);

// ATTRNAME = ALPHA *(nameChar); URNs add ":" and "."; "$ref" is the one name with "$" (RFC 7643 §2.4).
const WORD_START = /[A-Za-z$]/;
const WORD_CHAR = /[A-Za-z0-9_$:.\-]/;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ATTRNAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Splits the text into tokens; string literals follow JSON (RFC 8259 §7) as §3.4.2.2 requires. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === '[' || c === ']' || c === '.') {
      tokens.push({ kind: c, pos: i, raw: c });
      i++;
    } else if (c === '"') {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) fail(`unterminated string starting at position ${start}`);
        const ch = text[i];
        if (ch === '"') break;
        if (ch === '\\') {
          const e = text[i + 1];
          if (e === 'u') {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9A-Fa-f]{4}$/.test(hex)) fail(`invalid \\u escape in string at position ${i}`);
            value += String.fromCharCode(parseInt(hex, 16));
            i += 6;
          } else if (e !== undefined && e in ESCAPES) {
            value += ESCAPES[e];
            i += 2;
          } else {
            fail(e === undefined ? `unterminated string starting at position ${start}` : `invalid escape "\\${e}" in string at position ${i}`);
          }
        } else if (ch.charCodeAt(0) < 0x20) {
          fail(`control character in string at position ${i}; use an escape such as \\n`);
        } else {
          value += ch;
          i++;
        }
      }
      i++;
      tokens.push({ kind: 'string', pos: start, raw: text.slice(start, i), value });
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      const end = m ? i + m[0].length : i;
      if (!m || (end < text.length && WORD_CHAR.test(text[end]))) {
        let stop = end;
        while (stop < text.length && WORD_CHAR.test(text[stop])) stop++;
        fail(`invalid number "${text.slice(i, Math.max(stop, i + 1))}" at position ${i}`);
      }
      const value = Number(text.slice(i, end));
      if (!Number.isFinite(value)) fail(`number "${text.slice(i, end)}" is out of range at position ${i}`);
      tokens.push({ kind: 'number', pos: i, raw: text.slice(i, end), value });
      i = end;
    } else if (WORD_START.test(c)) {
      const start = i;
      while (i < text.length && WORD_CHAR.test(text[i])) i++;
      tokens.push({ kind: 'word', pos: start, raw: text.slice(start, i) });
    } else {
      const hint = c === "'" ? '; strings must be in double quotes' : '';
      fail(`unexpected character "${c}" at position ${i}${hint}`);
    }
  }
  tokens.push({ kind: 'eof', pos: text.length, raw: '' });
  return tokens;
}

const KNOWN_URNS = new Set(ALL_SCHEMAS.map((s) => s.id.toLowerCase()));

/**
 * `[URI ":"] ATTRNAME ["." ATTRNAME]`. A URN prefix ends at the last colon (schema URNs contain
 * colons and dots, attribute names contain neither). A word that is exactly a known schema URN
 * names the whole extension object (RFC 7644 §3.5.2.1 uses it as a PATCH path): {attr: urn}.
 */
function toAttrPath(word: string, pos: number, length: number): AttrPath {
  if (KNOWN_URNS.has(word.toLowerCase())) return { attr: word };
  let rest = word;
  let uri: string | undefined;
  const colon = word.lastIndexOf(':');
  if (colon >= 0) {
    if (!/^urn:./i.test(word)) fail(`attribute path "${word}" contains ":" but does not start with a "urn:" schema URN, ${at(pos, length)}`);
    uri = word.slice(0, colon);
    rest = word.slice(colon + 1);
    if (rest === '') fail(`expected an attribute name after the schema URN "${uri}" ${at(pos + word.length, length)}`);
  }
  const parts = rest.split('.');
  if (parts.length > 2) fail(`attribute path "${word}" has more than one sub-attribute, ${at(pos, length)}`);
  for (const part of parts) {
    if (!ATTRNAME.test(part)) {
      fail(part === '' ? `expected an attribute name in "${word}" ${at(pos, length)}` : `invalid attribute name "${part}" in "${word}" ${at(pos, length)}`);
    }
  }
  const path: AttrPath = { attr: parts[0] };
  if (uri !== undefined) path.uri = uri;
  if (parts.length === 2) path.sub = parts[1];
  return path;
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }
  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  where(t: Token): string {
    return at(t.pos, this.length);
  }
  found(t: Token): string {
    return t.kind === 'eof' ? '' : `, found ${t.raw.length > 40 ? `${t.raw.slice(0, 40)}…` : t.raw.startsWith('"') ? t.raw : `"${t.raw}"`}`;
  }
  isWord(t: Token, word: string): boolean {
    return t.kind === 'word' && t.raw.toLowerCase() === word;
  }
  enter(t: Token): void {
    if (++this.depth > MAX_FILTER_DEPTH) fail(`filter nests deeper than ${MAX_FILTER_DEPTH} levels ${this.where(t)}`);
  }
  expect(kind: TokenKind, what: string): Token {
    const t = this.next();
    if (t.kind !== kind) fail(`expected ${what} ${this.where(t)}${this.found(t)}`);
    return t;
  }

  /** Precedence (RFC 7644 §3.4.2.2 Table 4): "or" binds loosest, then "and", then "not"; both associate left. */
  orExpr(inValuePath: boolean): Filter {
    let left = this.andExpr(inValuePath);
    while (this.isWord(this.peek(), 'or')) {
      this.next();
      left = { op: 'or', left, right: this.andExpr(inValuePath) };
    }
    return left;
  }

  andExpr(inValuePath: boolean): Filter {
    let left = this.primary(inValuePath);
    while (this.isWord(this.peek(), 'and')) {
      this.next();
      left = { op: 'and', left, right: this.primary(inValuePath) };
    }
    return left;
  }

  primary(inValuePath: boolean): Filter {
    const t = this.peek();
    if (t.kind === '(') {
      this.next();
      this.enter(t);
      const inner = this.orExpr(inValuePath);
      this.expect(')', `")" to close the "(" at position ${t.pos}`);
      this.depth--;
      return inner;
    }
    if (this.isWord(t, 'not')) {
      // The ABNF only has `"not" "(" FILTER ")"`: the parentheses are mandatory.
      this.next();
      const open = this.expect('(', `"(" after "not"`);
      this.enter(open);
      const filter = this.orExpr(inValuePath);
      this.expect(')', `")" to close the "(" at position ${open.pos}`);
      this.depth--;
      return { op: 'not', filter };
    }
    if (t.kind !== 'word') fail(`expected an attribute path, "not" or "(" ${this.where(t)}${this.found(t)}`);
    return this.attrExp(inValuePath);
  }

  attrExp(inValuePath: boolean): Filter {
    const word = this.next();
    const path = toAttrPath(word.raw, word.pos, this.length);
    const t = this.peek();
    if (t.kind === '[') return this.valuePath(word, path, inValuePath);
    if (t.kind !== 'word' || !(t.raw.toLowerCase() === 'pr' || COMPARE_OPS.includes(t.raw.toLowerCase() as CompareOp))) {
      fail(`expected a comparison operator after "${word.raw}" ${this.where(t)}${this.found(t)}`);
    }
    this.next();
    const op = t.raw.toLowerCase();
    if (op === 'pr') {
      // attrExp = attrPath SP "pr": presence takes no comparison value.
      if (this.literal(this.peek()) !== undefined) fail(`"pr" takes no value ${this.where(this.peek())}${this.found(this.peek())}`);
      return { op: 'pr', path };
    }
    const v = this.peek();
    const value = this.literal(v);
    if (value === undefined) {
      const hint = v.kind === 'word' ? '; strings must be in double quotes' : '';
      fail(`expected a value (a string, number, true, false or null) after "${t.raw}" ${this.where(v)}${this.found(v)}${hint}`);
    }
    this.next();
    // RFC 7644 §3.4.2.2: gt/ge/lt/le on a boolean SHALL be rejected with invalidFilter; null has no order.
    if (ORDERING_OPS.includes(op as CompareOp) && (typeof value === 'boolean' || value === null)) {
      fail(`"${op}" cannot compare with ${String(value)} ${this.where(v)}`);
    }
    return { op: op as CompareOp, path, value };
  }

  /** compValue = false / null / true / number / string; the keywords are case-insensitive. */
  literal(t: Token): JsonPrimitive | undefined {
    if (t.kind === 'string' || t.kind === 'number') return t.value;
    if (t.kind !== 'word') return undefined;
    const w = t.raw.toLowerCase();
    return w === 'true' ? true : w === 'false' ? false : w === 'null' ? null : undefined;
  }

  /** valuePath = attrPath "[" valFilter "]"; valFilter never holds another valuePath. */
  valuePath(word: Token, path: AttrPath, inValuePath: boolean, allowSub = false): Filter {
    const open = this.next();
    if (inValuePath) fail(`value paths cannot be nested: "${word.raw}[" ${this.where(open)}`);
    if (path.sub !== undefined) fail(`a value path must name a multi-valued attribute, not the sub-attribute "${word.raw}", ${this.where(open)}`);
    if (path.uri === undefined && KNOWN_URNS.has(path.attr.toLowerCase())) {
      fail(`a value path must name an attribute, not the schema "${word.raw}", ${this.where(open)}`);
    }
    this.enter(open);
    if (this.peek().kind === ']') fail(`expected a filter inside "[...]" ${this.where(this.peek())}`);
    const filter = this.orExpr(true);
    this.expect(']', `"]" to close the "[" at position ${open.pos}`);
    this.depth--;
    // Only PATCH paths may continue with "]." subAttr (RFC 7644 §3.5.2); the filter ABNF has no such form.
    const dot = this.peek();
    if (!allowSub && dot.kind === '.') fail(`a sub-attribute after "]" is only allowed in PATCH paths, ${this.where(dot)}`);
    return { op: 'valuePath', path, filter };
  }
}

function run<T>(text: string, code: ErrorCode, what: string, body: (p: Parser) => T): Result<T, Problem> {
  if (text.length > MAX_FILTER_LENGTH) return err(problem(code, `${what} is longer than ${MAX_FILTER_LENGTH} characters`));
  if (text.trim() === '') return err(problem(code, `${what} is empty`));
  try {
    return ok(body(new Parser(tokenize(text), text.length)));
  } catch (e) {
    if (e instanceof ParseFailure) return err(problem(code, e.detail));
    throw e;
  }
}

/** Parses a `filter` query parameter or SearchRequest filter (RFC 7644 §3.4.2.2, §3.4.3). */
export function parseFilter(text: string): Result<Filter, Problem> {
  return run(text, 'invalid_filter', 'filter', (p) => {
    const filter = p.orExpr(false);
    const t = p.peek();
    if (t.kind !== 'eof') fail(`expected "and", "or" or the end of the filter ${p.where(t)}${p.found(t)}`);
    return filter;
  });
}

/**
 * Parses a PATCH operation path (RFC 7644 §3.5.2): `PATH = attrPath / valuePath [subAttr]`,
 * plus a bare extension URN naming the whole extension object (as Entra ID sends for
 * `"path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"`).
 */
export function parsePatchPath(text: string): Result<PatchPath, Problem> {
  return run(text, 'invalid_path', 'path', (p) => {
    const word = p.expect('word', 'an attribute path');
    const attr = toAttrPath(word.raw, word.pos, text.length);
    const result: PatchPath = { attr };
    if (p.peek().kind === '[') {
      const vp = p.valuePath(word, attr, false, true);
      if (vp.op === 'valuePath') result.filter = vp.filter;
      if (p.peek().kind === '.') {
        p.next();
        const sub = p.expect('word', 'a sub-attribute name after "]."');
        if (!ATTRNAME.test(sub.raw)) fail(`invalid sub-attribute name "${sub.raw}" ${p.where(sub)}`);
        result.sub = sub.raw;
      }
    }
    const t = p.peek();
    if (t.kind !== 'eof') fail(`expected the end of the path ${p.where(t)}${p.found(t)}`);
    return result;
  });
}
