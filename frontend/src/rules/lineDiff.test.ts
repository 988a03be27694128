import { describe, expect, it } from 'vitest';
import { diffCounts, lineDiff, type DiffLine } from './lineDiff';

/** A diff as unified-diff-like lines: "  same", "- removed", "+ added". */
function unified(diff: readonly DiffLine[]): string[] {
  return diff.map((line) => `${line.kind === 'same' ? ' ' : line.kind === 'added' ? '+' : '-'} ${line.text}`);
}

/** Rebuilds both texts from a diff: every diff must give them back. */
function sides(diff: readonly DiffLine[]): [string, string] {
  return [
    diff.filter((line) => line.kind !== 'added').map((line) => line.text).join('\n'),
    diff.filter((line) => line.kind !== 'removed').map((line) => line.text).join('\n'),
  ];
}

describe('lineDiff', () => {
  it('marks nothing when the texts are equal', () => {
    const text = 'a\nb\nc';
    expect(unified(lineDiff(text, text))).toEqual(['  a', '  b', '  c']);
    expect(lineDiff('', '')).toEqual([]);
  });

  it('diffs from and to nothing', () => {
    expect(unified(lineDiff('', 'a\nb'))).toEqual(['+ a', '+ b']);
    expect(unified(lineDiff('a\nb', ''))).toEqual(['- a', '- b']);
  });

  it('shows a changed line as removed then added, between kept ones', () => {
    const before = 'signal.type == "report.filed"\nand count("report.filed", "1h") >= 10\nand subject.followers > 10000';
    const after = 'signal.type == "report.filed"\nand count("report.filed", "1h") >= 5\nand subject.followers > 10000';
    expect(unified(lineDiff(before, after))).toEqual([
      '  signal.type == "report.filed"',
      '- and count("report.filed", "1h") >= 10',
      '+ and count("report.filed", "1h") >= 5',
      '  and subject.followers > 10000',
    ]);
  });

  it('numbers the lines of each side', () => {
    const diff = lineDiff('a\nb\nc', 'a\nx\nb\nc');
    expect(diff).toEqual([
      { kind: 'same', text: 'a', oldLine: 1, newLine: 1 },
      { kind: 'added', text: 'x', newLine: 2 },
      { kind: 'same', text: 'b', oldLine: 2, newLine: 3 },
      { kind: 'same', text: 'c', oldLine: 3, newLine: 4 },
    ]);
  });

  it('keeps the longest common subsequence', () => {
    // LCS of A B C B D A B and B D C A B A is 4 lines long.
    const diff = lineDiff('A\nB\nC\nB\nD\nA\nB', 'B\nD\nC\nA\nB\nA');
    expect(diff.filter((line) => line.kind === 'same')).toHaveLength(4);
    expect(sides(diff)).toEqual(['A\nB\nC\nB\nD\nA\nB', 'B\nD\nC\nA\nB\nA']);
    expect(diffCounts(diff)).toEqual({ added: 2, removed: 3 });
  });

  it('handles repeated lines and Windows line ends', () => {
    const diff = lineDiff('x\r\nx\r\ny', 'x\ny\ny');
    expect(unified(diff)).toEqual(['  x', '- x', '+ y', '  y']);
  });

  it('always gives back both texts', () => {
    const texts = ['', 'a', 'a\nb', 'b\na', 'a\na\na', 'a\nb\nc\nd', 'd\nc\nb\na', 'a\nc', 'x\na\ny\nc\nz'];
    for (const before of texts) {
      for (const after of texts) {
        expect(sides(lineDiff(before, after))).toEqual([before, after]);
      }
    }
  });
});
