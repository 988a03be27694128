import { describe, expect, it } from 'vitest';
import { errorSpan, offsetOf, tokenize, type TokenKind } from './tokenize';

/** The tokens without white space, as [kind, text] pairs. */
function kinds(source: string): [TokenKind, string][] {
  return tokenize(source)
    .filter((token) => token.kind !== 'whitespace')
    .map((token) => [token.kind, token.text]);
}

describe('tokenize', () => {
  it('reads the example rule', () => {
    expect(kinds('signal.type == "report.filed" and count("report.filed", "1h") >= 10 and subject.followers > 10000')).toEqual([
      ['field', 'signal.type'],
      ['operator', '=='],
      ['string', '"report.filed"'],
      ['keyword', 'and'],
      ['velocity', 'count'],
      ['punctuation', '('],
      ['string', '"report.filed"'],
      ['punctuation', ','],
      ['string', '"1h"'],
      ['punctuation', ')'],
      ['operator', '>='],
      ['number', '10'],
      ['keyword', 'and'],
      ['field', 'subject.followers'],
      ['operator', '>'],
      ['number', '10000'],
    ]);
  });

  it('keeps every character: the tokens joined give back the source', () => {
    const sources = [
      '',
      '   ',
      'signal.attributes["amount"] ?? 0 > 1_000.5e3\n  or not (subject.kind in ["seller", \'listing\'])',
      'any(signal.attributes["tags"], { # matches "^fake" }) && !false || nil == `raw\nstring`',
      '"unterminated\nsubject.strikes >= 3 // a comment\n/* block */ @ € 😀',
      'sum("refund.requested", "amount", "7d") / distinct("order.placed", "buyer_id", "30d")',
    ];
    for (const source of sources) {
      const tokens = tokenize(source);
      expect(tokens.map((token) => token.text).join('')).toBe(source);
      for (const token of tokens) expect(source.slice(token.start, token.end)).toBe(token.text);
    }
  });

  it('tells velocity functions, builtins, keywords, literals and plain names apart', () => {
    expect(kinds('sum("a", "b", "1h") distinct ("a", "b", "1h") len(x) lower(y) count')).toEqual([
      ['velocity', 'sum'], ['punctuation', '('], ['string', '"a"'], ['punctuation', ','], ['string', '"b"'], ['punctuation', ','], ['string', '"1h"'], ['punctuation', ')'],
      ['velocity', 'distinct'], ['punctuation', '('], ['string', '"a"'], ['punctuation', ','], ['string', '"b"'], ['punctuation', ','], ['string', '"1h"'], ['punctuation', ')'],
      ['builtin', 'len'], ['punctuation', '('], ['identifier', 'x'], ['punctuation', ')'],
      ['builtin', 'lower'], ['punctuation', '('], ['identifier', 'y'], ['punctuation', ')'],
      // Not called: just a name.
      ['identifier', 'count'],
    ]);
    expect(kinds('true and false or nil not in matches contains startsWith endsWith')).toEqual([
      ['literal', 'true'], ['keyword', 'and'], ['literal', 'false'], ['keyword', 'or'], ['literal', 'nil'], ['keyword', 'not'],
      ['keyword', 'in'], ['keyword', 'matches'], ['keyword', 'contains'], ['keyword', 'startsWith'], ['keyword', 'endsWith'],
    ]);
  });

  it('reads the whole field path, but not a member of something else', () => {
    expect(kinds('subject.attributes["category"] foo.count')).toEqual([
      ['field', 'subject.attributes'],
      ['punctuation', '['],
      ['string', '"category"'],
      ['punctuation', ']'],
      ['identifier', 'foo'],
      ['punctuation', '.'],
      ['identifier', 'count'],
    ]);
    expect(kinds('signal')).toEqual([['field', 'signal']]);
  });

  it('reads operators longest first', () => {
    expect(kinds('a ?? b != c <= d >= e == f && g || !h')).toEqual([
      ['identifier', 'a'], ['operator', '??'], ['identifier', 'b'], ['operator', '!='], ['identifier', 'c'], ['operator', '<='],
      ['identifier', 'd'], ['operator', '>='], ['identifier', 'e'], ['operator', '=='], ['identifier', 'f'], ['operator', '&&'],
      ['identifier', 'g'], ['operator', '||'], ['operator', '!'], ['identifier', 'h'],
    ]);
  });

  it('reads numbers, strings with escapes, predicates and comments', () => {
    expect(kinds('1.5 0x1F 2e6 1_000')).toEqual([['number', '1.5'], ['number', '0x1F'], ['number', '2e6'], ['number', '1_000']]);
    expect(kinds('"say \\"hi\\"" \'it\\\'s\'')).toEqual([['string', '"say \\"hi\\""'], ['string', "'it\\'s'"]]);
    expect(kinds('all(xs, {#.amount > 5})')).toEqual([
      ['builtin', 'all'], ['punctuation', '('], ['identifier', 'xs'], ['punctuation', ','], ['punctuation', '{'], ['pointer', '#.amount'],
      ['operator', '>'], ['number', '5'], ['punctuation', '}'], ['punctuation', ')'],
    ]);
    expect(kinds('a // note\nb /* c */')).toEqual([['identifier', 'a'], ['comment', '// note'], ['identifier', 'b'], ['comment', '/* c */']]);
  });

  it('ends an unterminated string at the end of its line', () => {
    expect(kinds('"open\nnext')).toEqual([['string', '"open'], ['identifier', 'next']]);
  });
});

describe('offsetOf and errorSpan', () => {
  const source = 'signal.type == "x"\nand count("x", "1h") >= "ten"';

  it('turns a 1-based line and column into an offset', () => {
    expect(offsetOf(source, 1, 1)).toBe(0);
    expect(offsetOf(source, 2, 1)).toBe(19);
    expect(source.slice(offsetOf(source, 2, 25))).toBe('"ten"');
    // Past the end of a line or of the source: clamped.
    expect(offsetOf(source, 1, 99)).toBe(18);
    expect(offsetOf(source, 9, 1)).toBe(source.length);
  });

  it('counts columns in characters, as the server does', () => {
    expect(offsetOf('"😀" == x', 1, 5)).toBe(5);
  });

  it('underlines the token the error points at', () => {
    const offset = offsetOf(source, 2, 25);
    expect(errorSpan(source, tokenize(source), offset)).toEqual({ start: offset, end: offset + 5 });
    // On white space: one character.
    expect(errorSpan(source, tokenize(source), 6 + 19 - 3)).toEqual({ start: 22, end: 23 });
  });
});
