// Tests for readSplitColumn: synonyms, unknown values, unusable columns. Inline values only.
import { describe, expect, it } from 'vitest';
import { readSplitColumn } from './splitColumn';

describe('readSplitColumn', () => {
  it.each<[string, 'train' | 'validation' | 'test']>([
    ['train', 'train'],
    ['Training', 'train'],
    [' VAL ', 'validation'],
    ['dev', 'validation'],
    ['eval', 'validation'],
    ['valid', 'validation'],
    ['Test', 'test'],
    ['holdout', 'test'],
  ])('%j → %s', (value, part) => {
    const { split } = readSplitColumn(['train', 'validation', value]);
    expect(split[part]).toContain(2);
  });

  it('lists unrecognised rows and values', () => {
    const r = readSplitColumn(['train', 'val', 'foo', '', 'train']);
    expect(r.unrecognizedRows).toEqual([2, 3]);
    expect(r.unrecognizedValues).toEqual(['foo', '']);
    expect(r.problem).toBeNull();
  });

  it.each<[string[], RegExp]>([
    [['val', 'test'], /no training rows/],
    [['train', 'train'], /no validation or test rows/],
  ])('explains an unusable column %j', (values, problem) => {
    expect(readSplitColumn(values).problem).toMatch(problem);
  });
});
