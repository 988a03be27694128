import { Badge, Group, Loader, Stack, Text } from '@mantine/core';
import { IconAlertCircle, IconCircleCheck } from '@tabler/icons-react';
import type { CSSProperties } from 'react';
import type { ExpressionError } from '../../api/rules';
import { sentence } from '../../format/text';
import { HighlightedCode } from './highlight';
import { errorSpan, offsetOf, tokenize } from './tokenize';

const codeBlock: CSSProperties = {
  margin: 0,
  fontFamily: 'var(--mantine-font-family-monospace)',
  fontSize: 12.5,
  lineHeight: '18px',
  whiteSpace: 'pre',
  overflowX: 'auto',
  tabSize: 4,
};

/** The text of a 1-based line of `source` ('' past the end). */
export function lineText(source: string, line: number): string {
  return source.split('\n')[line - 1] ?? '';
}

/**
 * The marker line under a code line: blanks up to the error's column (tabs
 * kept, so it lines up), then `^` and `~` for the rest of what it points at.
 */
export function caretLine(source: string, error: Pick<ExpressionError, 'line' | 'column'>): string {
  const text = lineText(source, error.line);
  const chars = Array.from(text);
  const prefix = chars
    .slice(0, Math.max(0, error.column - 1))
    .map((ch) => (ch === '\t' ? '\t' : ' '))
    .join('');
  const padding = ' '.repeat(Math.max(0, error.column - 1 - chars.length));
  const offset = offsetOf(source, error.line, error.column);
  const span = errorSpan(source, tokenize(source), offset);
  const width = Math.max(1, Array.from(source.slice(span.start, span.end)).length);
  return `${prefix}${padding}^${'~'.repeat(width - 1)}`;
}

/** Errors in reading order. */
function sortErrors(errors: readonly ExpressionError[]): ExpressionError[] {
  return [...errors].sort((a, b) => a.line - b.line || a.column - b.column);
}

interface ExpressionDiagnosticsProps {
  id: string;
  source: string;
  errors: readonly ExpressionError[];
  /** Moves the editor's cursor to the error. */
  onGoTo?: (offset: number) => void;
  /** The errors are from an older text (typing since): shown dimmed until the next answer. */
  stale?: boolean;
}

/**
 * Each problem the server found, compiler-style: the line it is on (with its
 * number), a caret under the column it points at, and the message beneath.
 * A click puts the editor's cursor there.
 */
export function ExpressionDiagnostics({ id, source, errors, onGoTo, stale = false }: ExpressionDiagnosticsProps) {
  if (errors.length === 0) return null;
  const sorted = sortErrors(errors);
  const gutterWidth = String(Math.max(...sorted.map((error) => error.line))).length;
  return (
    <Stack
      id={id}
      component="ul"
      gap={6}
      aria-label="Problems in the expression"
      data-testid="expression-errors"
      style={{ opacity: stale ? 0.55 : 1, transition: 'opacity 120ms', listStyle: 'none', margin: 0, padding: 0 }}
    >
      {sorted.map((error, index) => {
        const number = String(error.line).padStart(gutterWidth, ' ');
        const blank = ' '.repeat(gutterWidth);
        const offset = offsetOf(source, error.line, error.column);
        return (
          <li key={`${error.line}:${error.column}:${index}`} data-testid="expression-error" data-line={error.line} data-column={error.column}>
            {/* A div, not a <button>: it holds a <pre>, which a button may not. */}
            <div
              role="button"
              tabIndex={0}
              onClick={() => onGoTo?.(offset)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' || event.key === ' ') {
                  event.preventDefault();
                  onGoTo?.(offset);
                }
              }}
              title="Go to this place in the expression"
              aria-label={`Line ${error.line}, column ${error.column}: ${sentence(error.message)}`}
              style={{
                display: 'block',
                width: '100%',
                padding: '6px 10px',
                borderLeft: '3px solid var(--mantine-color-red-6)',
                background: 'var(--mantine-color-red-0)',
                borderRadius: 'var(--mantine-radius-sm)',
                cursor: 'pointer',
              }}
            >
              <pre style={codeBlock} aria-hidden>
                <span style={{ color: 'var(--mantine-color-gray-6)' }}>{`${number} │ `}</span>
                <HighlightedCode code={lineText(source, error.line)} />
                {'\n'}
                <span style={{ color: 'var(--mantine-color-gray-6)' }}>{`${blank} │ `}</span>
                <span style={{ color: 'var(--mantine-color-red-7)', fontWeight: 700 }} data-testid="expression-error-caret">
                  {caretLine(source, error)}
                </span>
              </pre>
              <Group gap={6} wrap="nowrap" align="flex-start" mt={4}>
                <IconAlertCircle size={16} color="var(--mantine-color-red-7)" aria-hidden style={{ flex: 'none', marginTop: 2 }} />
                <Text size="sm" c="red.8" data-testid="expression-error-message">
                  <Text span inherit fw={600}>
                    Line {error.line}, column {error.column}:
                  </Text>{' '}
                  {sentence(error.message)}
                </Text>
              </Group>
            </div>
          </li>
        );
      })}
    </Stack>
  );
}

export type ValidationState = 'empty' | 'checking' | 'valid' | 'invalid' | 'unavailable';

/** One line under the editor: checking, valid (with the velocity calls found), or how many problems. */
export function ValidationSummary({ state, errorCount, velocity, failure }: { state: ValidationState; errorCount: number; velocity: readonly string[]; failure?: string | undefined }) {
  return (
    <Group gap="xs" wrap="wrap" data-testid="validation-summary" data-state={state} mih={24}>
      {state === 'checking' && (
        <Group gap={6}>
          <Loader size={14} />
          <Text size="xs" c="dimmed">
            Checking…
          </Text>
        </Group>
      )}
      {state === 'valid' && (
        <Group gap={4}>
          <IconCircleCheck size={16} color="var(--mantine-color-teal-7)" aria-hidden />
          <Text size="xs" c="teal.8" fw={600}>
            Valid: a true/false expression
          </Text>
        </Group>
      )}
      {state === 'invalid' && (
        <Text size="xs" c="red.8" fw={600}>
          {errorCount === 1 ? '1 problem' : `${errorCount} problems`}
        </Text>
      )}
      {state === 'empty' && (
        <Text size="xs" c="dimmed">
          Write a condition that is true when the rule should hit; it is checked as you type.
        </Text>
      )}
      {state === 'unavailable' && (
        <Text size="xs" c="orange.8">
          Could not check the expression{failure ? `: ${failure}` : ''}. It is checked again when you save.
        </Text>
      )}
      {velocity.length > 0 && (
        <Group gap={4} wrap="wrap" data-testid="velocity-calls" aria-label="Velocity calls">
          <Text size="xs" c="dimmed">
            Velocity read:
          </Text>
          {velocity.map((call) => (
            <Badge key={call} variant="light" color="pink" size="sm" radius="sm" tt="none" ff="monospace" fw={500}>
              {call}
            </Badge>
          ))}
        </Group>
      )}
    </Group>
  );
}
