// CLI: the classical baseline (TF-IDF + LR) on the shared datasets with the studio's default split; prints macro-F1 and time.
// Usage: npx tsx scripts/classicalCheck.ts [dataset ...]
import { readFileSync } from 'node:fs';
import { parseCsv } from '../src/data/csv';
import { buildSplitGroups, groupStratifiedSplit } from '../src/data/groupSplit';
import { sortLabelNames } from '../src/data/dataset';
import { trainClassicalBaseline } from '../src/train/classical/classicalBaseline';

for (const ds of process.argv.slice(2).length ? process.argv.slice(2) : ['sms_spam', 'sentiment_sentences', 'clinc150']) {
  const parsed = parseCsv(readFileSync(`../shared/datasets/${ds}.csv`, 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error.message);
  const rows = parsed.value.rows;
  const texts = rows.map((r) => r[0]);
  const lt = rows.map((r) => r[1]);
  const split = groupStratifiedSplit(lt, buildSplitGroups(texts), { validationFraction: 0.1, seed: 42 });
  const names = sortLabelNames(lt);
  const pick = (idx: number[]) => ({ texts: idx.map((i) => texts[i]), labels: idx.map((i) => names.indexOf(lt[i])) });
  const r = trainClassicalBaseline(pick(split.train), pick(split.validation), names.length);
  console.log(
    `${ds}: macro-F1 ${r.macroF1.toFixed(3)} accuracy ${r.accuracy.toFixed(3)} features ${r.numFeatures} iterations ${r.iterations} ${(r.trainMs / 1000).toFixed(1)} s`,
  );
}
