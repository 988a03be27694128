import { Input } from '@mantine/core';
import { useMemo, useRef, type CSSProperties, type RefObject } from 'react';
import type { ExpressionError } from '../../api/rules';
import classes from '../rules.module.css';
import { errorMarks, renderHighlighted } from './highlight';
import { tokenize } from './tokenize';

/** The editor's text metrics: the highlighted layer and the textarea must agree to the pixel. */
const LINE_HEIGHT = 20;
const PADDING_Y = 8;
const PADDING_X = 10;
const MIN_LINES = 4;

const textMetrics: CSSProperties = {
  margin: 0,
  padding: `${PADDING_Y}px ${PADDING_X}px`,
  border: 0,
  fontFamily: 'var(--mantine-font-family-monospace)',
  fontSize: 13,
  lineHeight: `${LINE_HEIGHT}px`,
  letterSpacing: 'normal',
  tabSize: 4,
  whiteSpace: 'pre',
  overflowWrap: 'normal',
  wordBreak: 'normal',
  boxSizing: 'border-box',
};

interface ExpressionEditorProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  /** The cursor or selection moved (for inserting at the cursor later). */
  onSelect?: (start: number, end: number) => void;
  /** Where the server found problems (1-based line and column). */
  errors: readonly ExpressionError[];
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  label: string;
  description?: React.ReactNode;
  /** A message for the field as a whole (e.g. "write an expression"). */
  error?: string | undefined;
  readOnly?: boolean;
  /** The id of the element listing the problems, for screen readers. */
  describedBy?: string;
}

/**
 * A code editor for rule expressions without an editor library: a plain
 * textarea with transparent text over a <pre> that shows the same text
 * highlighted (and the errors underlined), plus a gutter of line numbers
 * (an error's line in red). Lines do not wrap; the two layers scroll
 * together sideways and the whole grows with its content.
 */
export function ExpressionEditor({ id, value, onChange, onSelect, errors, textareaRef, label, description, error, readOnly = false, describedBy }: ExpressionEditorProps) {
  const preRef = useRef<HTMLPreElement>(null);
  const tokens = useMemo(() => tokenize(value), [value]);
  const marks = useMemo(() => errorMarks(value, tokens, errors), [value, tokens, errors]);
  const highlighted = useMemo(() => renderHighlighted(value, tokens, marks), [value, tokens, marks]);
  const lineCount = Math.max(value.split('\n').length, 1);
  const errorLines = new Map<number, string[]>();
  for (const problem of errors) errorLines.set(problem.line, [...(errorLines.get(problem.line) ?? []), problem.message]);
  const shownLines = Math.max(lineCount, MIN_LINES);
  const height = shownLines * LINE_HEIGHT + 2 * PADDING_Y + 12; // room for a horizontal scrollbar
  const invalid = errors.length > 0 || Boolean(error);

  return (
    <Input.Wrapper id={id} label={label} description={description} error={error} inputWrapperOrder={['label', 'description', 'input', 'error']}>
      <div
        style={{
          display: 'flex',
          border: `1px solid ${invalid ? 'var(--mantine-color-red-5)' : 'var(--mantine-color-gray-4)'}`,
          borderRadius: 'var(--mantine-radius-sm)',
          background: readOnly ? 'var(--mantine-color-gray-0)' : 'var(--mantine-color-white)',
          overflow: 'hidden',
          marginTop: 4,
        }}
        className={readOnly ? undefined : classes.editorFrame}
        data-testid="expression-editor"
      >
        <div
          aria-hidden
          style={{
            ...textMetrics,
            padding: `${PADDING_Y}px 8px`,
            textAlign: 'right',
            minWidth: 36,
            color: 'var(--mantine-color-gray-6)',
            background: 'var(--mantine-color-gray-0)',
            borderRight: '1px solid var(--mantine-color-gray-3)',
            userSelect: 'none',
            height,
          }}
        >
          {Array.from({ length: shownLines }, (_, index) => {
            const line = index + 1;
            const problems = errorLines.get(line);
            return (
              <div
                key={line}
                title={problems?.join('\n')}
                data-error-line={problems ? line : undefined}
                style={problems ? { color: 'var(--mantine-color-red-7)', fontWeight: 700 } : line > lineCount ? { visibility: 'hidden' } : undefined}
              >
                {line}
              </div>
            );
          })}
        </div>
        <div style={{ position: 'relative', flex: 1, minWidth: 0, height }}>
          <pre ref={preRef} aria-hidden style={{ ...textMetrics, overflow: 'hidden', height, color: 'var(--mantine-color-dark-8)', pointerEvents: 'none' }}>
            {highlighted}
            {/* A trailing newline needs a character after it to take up its line. */}
            {'\n '}
          </pre>
          <textarea
            id={id}
            ref={textareaRef}
            value={value}
            onChange={(event) => {
              onChange(event.currentTarget.value);
              onSelect?.(event.currentTarget.selectionStart, event.currentTarget.selectionEnd);
            }}
            onSelect={(event) => onSelect?.(event.currentTarget.selectionStart, event.currentTarget.selectionEnd)}
            onScroll={(event) => {
              if (preRef.current) {
                preRef.current.scrollLeft = event.currentTarget.scrollLeft;
                preRef.current.scrollTop = event.currentTarget.scrollTop;
              }
            }}
            readOnly={readOnly}
            aria-invalid={invalid || undefined}
            aria-describedby={[description ? `${id}-description` : '', error ? `${id}-error` : '', describedBy ?? ''].filter(Boolean).join(' ') || undefined}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            autoCorrect="off"
            wrap="off"
            data-testid="expression-input"
            style={{
              ...textMetrics,
              position: 'absolute',
              inset: 0,
              width: '100%',
              height,
              resize: 'none',
              overflowX: 'auto',
              overflowY: 'hidden',
              background: 'transparent',
              color: 'transparent',
              caretColor: 'var(--mantine-color-dark-9)',
              outline: 'none',
            }}
          />
        </div>
      </div>
    </Input.Wrapper>
  );
}

/** Puts the cursor at a 1-based line and column of the textarea's text and focuses it. */
export function focusPosition(textarea: HTMLTextAreaElement | null, offset: number) {
  if (!textarea) return;
  textarea.focus();
  textarea.setSelectionRange(offset, offset);
}

/**
 * `snippet` typed at the selection of `value` (replacing it), with a space
 * before it when it would otherwise run into the word before. Returns the new
 * text and where the cursor goes (after the snippet).
 */
export function insertSnippet(value: string, selectionStart: number, selectionEnd: number, snippet: string): { value: string; cursor: number } {
  const start = Math.max(0, Math.min(selectionStart, value.length));
  const end = Math.max(start, Math.min(selectionEnd, value.length));
  const before = value.slice(0, start);
  const after = value.slice(end);
  const needsSpaceBefore = before !== '' && /[\w")\]]$/.test(before) && /^[\w"(!]/.test(snippet);
  const needsSpaceAfter = after !== '' && /^[\w"(]/.test(after);
  const text = `${needsSpaceBefore ? ' ' : ''}${snippet}${needsSpaceAfter ? ' ' : ''}`;
  return { value: before + text + after, cursor: start + text.length - (needsSpaceAfter ? 1 : 0) };
}
