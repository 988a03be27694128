import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../test/renderWithProviders';
import { caretLine, ExpressionDiagnostics, lineText } from './ExpressionDiagnostics';
import { ExpressionEditor, insertSnippet } from './ExpressionEditor';

const source = 'signal.type == "x"\nand count("x", "1h") >= "ten"';

describe('caretLine', () => {
  it('points at the column, as long as what it points at', () => {
    expect(lineText(source, 2)).toBe('and count("x", "1h") >= "ten"');
    // Column 25 is the string "ten" (5 characters).
    expect(caretLine(source, { line: 2, column: 25 })).toBe(`${' '.repeat(24)}^~~~~`);
    // Column 1 of the first line: the field signal.type.
    expect(caretLine(source, { line: 1, column: 1 })).toBe(`^${'~'.repeat('signal.type'.length - 1)}`);
  });

  it('keeps tabs so the caret lines up, and points past the end of a line', () => {
    expect(caretLine('\tx == 1', { line: 1, column: 2 })).toBe('\t^');
    expect(caretLine('ab', { line: 1, column: 4 })).toBe('   ^');
  });
});

describe('ExpressionDiagnostics', () => {
  it('shows each error under a copy of its line: line number, caret at the column, then the message', () => {
    renderWithProviders(
      <ExpressionDiagnostics
        id="problems"
        source={source}
        errors={[
          { line: 2, column: 25, message: 'invalid operation: >= (mismatched types int and string)' },
          { line: 1, column: 1, message: 'first problem' },
        ]}
      />,
    );
    const list = screen.getByRole('list', { name: 'Problems in the expression' });
    const items = within(list).getAllByTestId('expression-error');
    // In reading order, whatever order the server used.
    expect(items.map((item) => item.dataset.line)).toEqual(['1', '2']);
    const second = items[1]!;
    const block = second.querySelector('pre')!;
    const [codeLine, markerLine] = block.textContent.split('\n');
    expect(codeLine).toBe('2 │ and count("x", "1h") >= "ten"');
    expect(markerLine).toBe(`  │ ${' '.repeat(24)}^~~~~`);
    // The caret sits exactly under the column the server named.
    expect(markerLine!.indexOf('^')).toBe(codeLine!.indexOf('"ten"'));
    expect(within(second).getByTestId('expression-error-message')).toHaveTextContent(
      'Line 2, column 25: Invalid operation: >= (mismatched types int and string)',
    );
    expect(within(second).getByRole('button')).toHaveAccessibleName('Line 2, column 25: Invalid operation: >= (mismatched types int and string).');
  });

  it('moves the cursor to the error when clicked', async () => {
    const user = userEvent.setup();
    const onGoTo = vi.fn();
    renderWithProviders(<ExpressionDiagnostics id="p" source={source} errors={[{ line: 2, column: 25, message: 'bad' }]} onGoTo={onGoTo} />);
    await user.click(within(screen.getByTestId('expression-error')).getByRole('button'));
    expect(onGoTo).toHaveBeenCalledWith(source.indexOf('"ten"'));
  });

  it('renders nothing without errors', () => {
    renderWithProviders(<ExpressionDiagnostics id="p" source={source} errors={[]} />);
    expect(screen.queryByTestId('expression-errors')).not.toBeInTheDocument();
  });
});

describe('ExpressionEditor', () => {
  it('highlights the text under the textarea and underlines the error, with its line number in red', () => {
    const ref = createRef<HTMLTextAreaElement>();
    renderWithProviders(
      <ExpressionEditor id="expr" label="Expression" value={source} onChange={() => {}} errors={[{ line: 2, column: 25, message: 'mismatched types' }]} textareaRef={ref} />,
    );
    const textarea = screen.getByRole('textbox', { name: 'Expression' });
    expect(textarea).toHaveValue(source);
    expect(textarea).toHaveAttribute('aria-invalid', 'true');
    const editor = screen.getByTestId('expression-editor');
    const marked = editor.querySelectorAll('[data-error]');
    expect([...marked].map((node) => node.textContent).join('')).toBe('"ten"');
    expect(editor.querySelector('[data-token="velocity"]')).toHaveTextContent('count');
    expect(editor.querySelector('[data-token="field"]')).toHaveTextContent('signal.type');
    const gutter = editor.querySelector('[data-error-line]');
    expect(gutter).toHaveTextContent('2');
    expect(gutter).toHaveAttribute('title', 'mismatched types');
  });
});

describe('insertSnippet', () => {
  it('inserts at the cursor, replacing the selection, with a space where words would run together', () => {
    expect(insertSnippet('a and ', 6, 6, 'subject.followers')).toEqual({ value: 'a and subject.followers', cursor: 23 });
    expect(insertSnippet('x', 1, 1, 'and')).toEqual({ value: 'x and', cursor: 5 });
    expect(insertSnippet('pick THIS now', 5, 9, 'signal.type')).toEqual({ value: 'pick signal.type now', cursor: 16 });
    expect(insertSnippet('', 0, 0, 'count("a", "1h")')).toEqual({ value: 'count("a", "1h")', cursor: 16 });
    expect(insertSnippet('(', 1, 1, '>=')).toEqual({ value: '(>=', cursor: 3 });
  });
});
