import type { CSSProperties, ReactNode } from 'react';
import { errorSpan, offsetOf, tokenize, type Token, type TokenKind } from './tokenize';

/** Colours per token kind: calm, readable on white, in Mantine's palette. */
export const tokenStyles: Record<TokenKind, CSSProperties> = {
  keyword: { color: 'var(--mantine-color-violet-8)', fontWeight: 600 },
  literal: { color: 'var(--mantine-color-orange-9)' },
  string: { color: 'var(--mantine-color-green-9)' },
  number: { color: 'var(--mantine-color-blue-8)' },
  velocity: { color: 'var(--mantine-color-pink-8)', fontWeight: 600 },
  builtin: { color: 'var(--mantine-color-cyan-9)' },
  field: { color: 'var(--mantine-color-indigo-8)' },
  pointer: { color: 'var(--mantine-color-indigo-6)' },
  operator: { color: 'var(--mantine-color-dark-7)', fontWeight: 600 },
  punctuation: { color: 'var(--mantine-color-gray-7)' },
  identifier: { color: 'var(--mantine-color-dark-8)' },
  comment: { color: 'var(--mantine-color-gray-6)', fontStyle: 'italic' },
  whitespace: {},
  unknown: { color: 'var(--mantine-color-red-8)' },
};

export const errorMarkStyle: CSSProperties = {
  textDecorationLine: 'underline',
  textDecorationStyle: 'wavy',
  textDecorationColor: 'var(--mantine-color-red-6)',
  textDecorationSkipInk: 'none',
  textUnderlineOffset: 3,
  backgroundColor: 'var(--mantine-color-red-0)',
};

interface Span {
  start: number;
  end: number;
}

/**
 * The highlighted source as spans, with the given ranges marked as errors.
 * Tokens are split where a marked range begins or ends.
 */
export function renderHighlighted(source: string, tokens: readonly Token[], marks: readonly Span[] = []): ReactNode[] {
  const cuts = new Set<number>();
  for (const mark of marks) {
    cuts.add(mark.start);
    cuts.add(mark.end);
  }
  const nodes: ReactNode[] = [];
  for (const token of tokens) {
    const points = [token.start, ...[...cuts].filter((cut) => cut > token.start && cut < token.end).sort((a, b) => a - b), token.end];
    for (let k = 0; k < points.length - 1; k++) {
      const start = points[k]!;
      const end = points[k + 1]!;
      const marked = marks.some((mark) => mark.start <= start && end <= mark.end && mark.start < mark.end);
      const style = marked ? { ...tokenStyles[token.kind], ...errorMarkStyle } : tokenStyles[token.kind];
      nodes.push(
        <span key={`${start}`} style={style} data-token={token.kind} data-error={marked || undefined}>
          {source.slice(start, end)}
        </span>,
      );
    }
  }
  return nodes;
}

/** Where each error points, as the range to underline. */
export function errorMarks(source: string, tokens: readonly Token[], errors: readonly { line: number; column: number }[]): Span[] {
  return errors.map((error) => errorSpan(source, tokens, offsetOf(source, error.line, error.column)));
}

/** A short piece of expression, highlighted (the reference panel, the diff, the diagnostics). */
export function HighlightedCode({ code }: { code: string }) {
  return <>{renderHighlighted(code, tokenize(code))}</>;
}
