// Makes e2e/data/intent-instructions.csv for llm-finetune.spec.ts: prompt → completion rows where the prompt is a
// real user question and the completion its intent name, both taken verbatim from ../shared/datasets/clinc150.csv
// (CLINC150, Larson et al. 2019, CC BY 3.0): the first 20 questions of each of 6 intents, 120 rows.
// Run: node e2e/data/makeIntentCsv.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.resolve(here, '../../../shared/datasets/clinc150.csv');
const INTENTS = ['timer', 'translate', 'definition', 'transfer', 'find_phone', 'pto_request'];
const PER_INTENT = 20;

const lines = readFileSync(source, 'utf8').trim().split('\n').slice(1);
const picked = new Map(INTENTS.map((i) => [i, []]));
for (const line of lines) {
  const cut = line.lastIndexOf(',');
  const [text, label] = [line.slice(0, cut), line.slice(cut + 1).trim()];
  if (picked.has(label) && picked.get(label).length < PER_INTENT && !text.includes('"')) picked.get(label).push(text);
}
const quote = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const rows = INTENTS.flatMap((i) => picked.get(i).map((q) => `${quote(q)},${i}`));
writeFileSync(path.join(here, 'intent-instructions.csv'), `prompt,completion\n${rows.join('\n')}\n`);
console.log(`wrote ${rows.length} rows`);
