// Table-driven tests for inferColumns on generated tables and on the shared datasets.
// Reads fixtures from disk (tests only); the module under test does no I/O.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferColumns, nameWords } from './columns';
import { parseCsv } from './csv';

const DATASETS = path.resolve(__dirname, '../../../shared/datasets');
function loadFixture(name: string): { header: string[]; rows: string[][] } {
  const parsed = parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(readFileSync(path.join(DATASETS, name))));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

const SENTENCES = [
  'the battery died after two days of light use',
  'absolutely loved the food and the staff were friendly',
  'would not recommend this to anyone i know',
  'shipping was fast and the packaging was fine',
  'the plot dragged on for far too long',
  'great value for the money, works as described',
  'customer service never answered my emails',
  'a charming little film with a great cast',
];
const CLASSES = ['pos', 'neg', 'neutral'];

/** Builds rows from per-column value generators, for `n` rows. */
function makeRows(n: number, columns: ((i: number) => string)[]): string[][] {
  return Array.from({ length: n }, (_, i) => columns.map((col) => col(i)));
}
const sentence = (i: number) => `${SENTENCES[i % SENTENCES.length]} (${i})`;
const cls = (i: number) => CLASSES[i % CLASSES.length];
const id = (i: number) => String(1000 + i);
const date = (i: number) => `2020-01-${String((i % 28) + 1).padStart(2, '0')}`;

describe('inferColumns on generated tables', () => {
  it.each<[string, string[], ((i: number) => string)[], number, number]>([
    ['text,label', ['text', 'label'], [sentence, cls], 0, 1],
    ['label first', ['label', 'text'], [cls, sentence], 1, 0],
    ['no name hints', ['a', 'b'], [cls, sentence], 1, 0],
    ['ids and dates around', ['id', 'sentence', 'category', 'created'], [id, sentence, cls, date], 1, 2],
    ['numeric rating label', ['review_id', 'review', 'rating'], [id, sentence, (i) => String((i % 5) + 1)], 1, 2],
    ['camelCase names', ['messageId', 'messageBody', 'intentName'], [id, sentence, cls], 1, 2],
    ['plural hints', ['sentences', 'classes'], [sentence, cls], 0, 1],
    ['numeric 0/1 labels', ['sentence', 'target'], [sentence, (i) => String(i % 2)], 0, 1],
    ['constant source column', ['source', 'text', 'intent'], [() => 'web', sentence, cls], 1, 2],
  ])('%s', (_name, header, columns, textColumn, labelColumn) => {
    const choice = inferColumns(header, makeRows(60, columns));
    expect([choice.textColumn, choice.labelColumn]).toEqual([textColumn, labelColumn]);
    expect(choice.reasons).toHaveLength(2);
    expect(choice.reasons[0]).toContain(`"${header[textColumn]}"`);
  });

  it('falls back on names when there are no rows', () => {
    const choice = inferColumns(['label', 'text'], []);
    expect([choice.textColumn, choice.labelColumn]).toEqual([1, 0]);
  });

  it('refuses a single column (a programmer error; parseCsv never returns one)', () => {
    expect(() => inferColumns(['text'], [['a']])).toThrow();
  });
});

describe('inferColumns on the shared datasets', () => {
  it.each<[string, string, string]>([
    ['parse_semicolon_reordered.csv', 'review', 'label'],
    ['parse_bom_crlf.csv', 'text', 'label'],
    ['sms_spam.csv', 'text', 'label'],
    ['sentiment_sentences.csv', 'text', 'label'],
    ['clinc150.csv', 'text', 'label'],
    ['quality_problems.csv', 'text', 'label'],
  ])('%s → text %s, label %s', (file, textName, labelName) => {
    const { header, rows } = loadFixture(file);
    const choice = inferColumns(header, rows);
    expect(header[choice.textColumn]).toBe(textName);
    expect(header[choice.labelColumn]).toBe(labelName);
  });

  it('still finds review/label in the semicolon file with names hidden', () => {
    const { header, rows } = loadFixture('parse_semicolon_reordered.csv');
    const choice = inferColumns(
      header.map((_, i) => `col${i}`),
      rows,
    );
    expect([choice.textColumn, choice.labelColumn]).toEqual([header.indexOf('review'), header.indexOf('label')]);
  });
});

describe('nameWords', () => {
  it.each<[string, string[]]>([
    ['reviewText', ['review', 'text']],
    ['label_id', ['label', 'id']],
    [' Intent Name ', ['intent', 'name']],
  ])('%j → %j', (name, words) => {
    expect(nameWords(name)).toEqual(words);
  });
});
