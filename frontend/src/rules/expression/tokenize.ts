/**
 * A small tokenizer for rule expressions (expr-lang/expr), for syntax
 * highlighting only: it never fails and never drops a character, so the
 * tokens' texts joined give back the source exactly. The server is the judge
 * of what is valid.
 */

export type TokenKind =
  | 'keyword'
  | 'literal'
  | 'string'
  | 'number'
  | 'velocity'
  | 'builtin'
  | 'field'
  | 'pointer'
  | 'operator'
  | 'punctuation'
  | 'identifier'
  | 'comment'
  | 'whitespace'
  | 'unknown';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset in the source (UTF-16 code units), inclusive. */
  start: number;
  /** Offset in the source, exclusive. */
  end: number;
}

/** Word operators and control words of the language. */
export const keywords: ReadonlySet<string> = new Set(['and', 'or', 'not', 'in', 'matches', 'contains', 'startsWith', 'endsWith', 'let', 'if', 'else']);

const literals: ReadonlySet<string> = new Set(['true', 'false', 'nil']);

/** The velocity functions of Docket's environment, answered from the subject's stored signals. */
export const velocityFunctions: ReadonlySet<string> = new Set(['count', 'sum', 'distinct']);

/** expr's own functions that rules are likely to use. */
export const builtinFunctions: ReadonlySet<string> = new Set([
  'len', 'lower', 'upper', 'abs', 'trim', 'trimPrefix', 'trimSuffix', 'split', 'join', 'replace', 'repeat', 'indexOf',
  'hasPrefix', 'hasSuffix', 'any', 'all', 'none', 'one', 'filter', 'map', 'find', 'findIndex', 'groupBy', 'sortBy',
  'int', 'float', 'string', 'max', 'min', 'mean', 'median', 'round', 'ceil', 'floor', 'first', 'last', 'keys', 'values',
  'now', 'duration', 'date', 'toJSON', 'fromJSON', 'type',
]);

/** The roots of the environment's fields; `signal.type` and `subject.followers` are one token each. */
const fieldRoots: ReadonlySet<string> = new Set(['signal', 'subject']);

/** Longest first, so `==` is not read as `=` `=`. */
const operators = ['...', '..', '?.', '??', '**', '==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '%', '^', '!', '?', ':', '|', '='];

const punctuation = new Set(['(', ')', '[', ']', '{', '}', ',', '.', ';']);

const identStart = /[A-Za-z_$]/;
const identPart = /[A-Za-z0-9_$]/;
const digit = /[0-9]/;
const whitespace = /\s/;

function readIdentifier(source: string, from: number): number {
  let i = from;
  while (i < source.length && identPart.test(source[i]!)) i++;
  return i;
}

/** The next character that is not white space, from `from`. */
function nextNonSpace(source: string, from: number): string | undefined {
  let i = from;
  while (i < source.length && whitespace.test(source[i]!)) i++;
  return source[i];
}

function readString(source: string, from: number): number {
  const quote = source[from]!;
  let i = from + 1;
  while (i < source.length) {
    const ch = source[i]!;
    if (quote !== '`' && ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === quote) return i + 1;
    // An unterminated "…" or '…' stops at the end of its line; a raw `…` may span lines.
    if (quote !== '`' && ch === '\n') return i;
    i++;
  }
  return source.length;
}

function readNumber(source: string, from: number): number {
  const rest = source.slice(from);
  const match = /^(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|\d[\d_]*(\.\d[\d_]*)?([eE][+-]?\d+)?)/.exec(rest);
  return from + (match ? match[0].length : 1);
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  // The last token that is not white space or a comment (a member name follows a `.`).
  const last: { significant: Token | undefined } = { significant: undefined };
  const push = (kind: TokenKind, start: number, end: number) => {
    const token = { kind, text: source.slice(start, end), start, end };
    tokens.push(token);
    if (kind !== 'whitespace' && kind !== 'comment') last.significant = token;
  };
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    const start = i;

    if (whitespace.test(ch)) {
      while (i < source.length && whitespace.test(source[i]!)) i++;
      push('whitespace', start, i);
      continue;
    }
    if (ch === '/' && source[i + 1] === '/') {
      const newline = source.indexOf('\n', i);
      i = newline === -1 ? source.length : newline;
      push('comment', start, i);
      continue;
    }
    if (ch === '/' && source[i + 1] === '*') {
      const close = source.indexOf('*/', i + 2);
      i = close === -1 ? source.length : close + 2;
      push('comment', start, i);
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') {
      i = readString(source, i);
      push('string', start, i);
      continue;
    }
    if (digit.test(ch)) {
      i = readNumber(source, i);
      push('number', start, i);
      continue;
    }
    if (ch === '#') {
      // `#` (the element in a predicate), `#.field`, `#index`, `#acc`.
      i++;
      if (source[i] === '.' && identStart.test(source[i + 1] ?? '')) i = readIdentifier(source, i + 1);
      else if (identStart.test(source[i] ?? '')) i = readIdentifier(source, i);
      push('pointer', start, i);
      continue;
    }
    if (identStart.test(ch)) {
      i = readIdentifier(source, i);
      const word = source.slice(start, i);
      if (fieldRoots.has(word)) {
        // signal.attributes, subject.followers: the dotted path is one field.
        while (source[i] === '.' && identStart.test(source[i + 1] ?? '')) i = readIdentifier(source, i + 1);
        push('field', start, i);
        continue;
      }
      const isMember = last.significant?.text === '.' || last.significant?.text === '?.';
      const isCall = nextNonSpace(source, i) === '(';
      let kind: TokenKind = 'identifier';
      if (isMember) kind = 'identifier';
      else if (keywords.has(word)) kind = 'keyword';
      else if (literals.has(word)) kind = 'literal';
      else if (isCall && velocityFunctions.has(word)) kind = 'velocity';
      else if (isCall && builtinFunctions.has(word)) kind = 'builtin';
      push(kind, start, i);
      continue;
    }
    const operator = operators.find((op) => source.startsWith(op, i));
    if (operator) {
      i += operator.length;
      push('operator', start, i);
      continue;
    }
    if (punctuation.has(ch)) {
      i++;
      push('punctuation', start, i);
      continue;
    }
    // Anything else (a stray `@`, a non-ASCII letter): one code point, kept as is.
    i += ch.codePointAt(0)! > 0xffff ? 2 : 1;
    push('unknown', start, i);
  }
  return tokens;
}

/** The offset in `source` of a 1-based line and column (columns count characters, as the server does). */
export function offsetOf(source: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const newline = source.indexOf('\n', offset);
    if (newline === -1) return source.length;
    offset = newline + 1;
  }
  const lineEnd = source.indexOf('\n', offset);
  const text = source.slice(offset, lineEnd === -1 ? source.length : lineEnd);
  const chars = Array.from(text);
  const before = chars.slice(0, Math.max(0, column - 1)).join('');
  return offset + Math.min(before.length, text.length);
}

/**
 * The part of the source an error at `offset` points at: the token that starts
 * there (or contains it), at least one character, never past the end of its
 * line. Used to underline the error in the editor.
 */
export function errorSpan(source: string, tokens: readonly Token[], offset: number): { start: number; end: number } {
  const lineEnd = source.indexOf('\n', offset);
  const limit = lineEnd === -1 ? source.length : lineEnd;
  const token = tokens.find((t) => t.start <= offset && offset < t.end && t.kind !== 'whitespace');
  const end = token ? Math.min(token.end, limit) : Math.min(offset + 1, limit);
  return { start: Math.min(offset, limit), end: Math.max(end, Math.min(offset + 1, source.length)) };
}
