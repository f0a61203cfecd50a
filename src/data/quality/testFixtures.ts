// Test helper: loads a shared dataset through the real parser (parseCsv). Used by tests only.
// Reads files from ../shared; nothing outside tests may import this module.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv, type CsvTable } from '../csv';

export const DATASETS = path.resolve(__dirname, '../../../../shared/datasets');

export function loadDataset(name: string): CsvTable {
  const parsed = parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(readFileSync(path.join(DATASETS, name))), { fileName: name });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

export function loadExpected(): Record<string, Record<string, unknown>> {
  return JSON.parse(readFileSync(path.join(DATASETS, 'handmade_expected.json'), 'utf8'));
}
