import { describe, expect, it } from 'vitest';
import { sentence } from './text';

describe('sentence', () => {
  it.each([
    ['the email or password is wrong', 'The email or password is wrong.'],
    ['Already a sentence.', 'Already a sentence.'],
    ['why?', 'Why?'],
    ['  padded  ', 'Padded.'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(sentence(input)).toBe(expected);
  });
});
