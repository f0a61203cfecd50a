import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../protocol/defaults';
import { buildRecipeFiles, PINNED, type RecipeInput } from './pythonRecipe';

const input: RecipeInput = {
  runName: 'micro-bert on reviews.csv',
  modelId: 'studio-test/micro-bert',
  revision: 'abc123',
  modelType: 'bert',
  config: { ...DEFAULT_TRAIN_CONFIG, learningRate: 0.0123, epochs: 7, loraR: 6, loraAlpha: 12, gradAccumSteps: 2, lrDecay: 'cosine' },
  targetModules: ['query', 'value'],
  fanInFanOut: false,
  labelNames: ['neg', 'pos'],
  train: [
    ['great, "quoted" value', 'pos'],
    ['line one\nline two', 'neg'],
    ['=SUM(A1) stays text', 'pos'],
    ['"""triple""" \\ backslash', 'neg'],
  ],
  validation: [
    ['fine', 'pos'],
    ['bad', 'neg'],
  ],
  warmupRatio: 0.06,
};
const files = buildRecipeFiles(input);
const embedded = () => JSON.parse(/STUDIO = json\.loads\(r"""(.*?)"""\)/s.exec(files['train.py'])![1]);

describe('python recipe', () => {
  it('has the files a user needs', () => {
    expect(Object.keys(files).sort()).toEqual([
      'README.md',
      'accelerate/deepspeed_zero2.yaml',
      'accelerate/fsdp.yaml',
      'data/train.csv',
      'data/validation.csv',
      'requirements.txt',
      'studio_settings.json',
      'train.py',
    ]);
    expect(files['requirements.txt'].trim().split('\n')).toEqual(PINNED);
    for (const line of PINNED) expect(line).toMatch(/^[\w-]+==\d+\.\d+(\.\d+)?$/);
  });

  it('train.py carries every setting, the model id and revision, the LoRA config and the labels', () => {
    const s = embedded();
    expect(s.trainConfig).toEqual(input.config);
    expect(Object.keys(s.trainConfig).sort()).toEqual(Object.keys(DEFAULT_TRAIN_CONFIG).sort());
    expect(s).toMatchObject({
      modelId: 'studio-test/micro-bert',
      revision: 'abc123',
      targetModules: ['query', 'value'],
      labelNames: ['neg', 'pos'],
      trainRows: 4,
      validationRows: 2,
    });
    // Every studio setting the script maps to a Trainer / LoRA argument is read from CONFIG.
    for (const key of [
      'learningRate',
      'batchSize',
      'gradAccumSteps',
      'epochs',
      'weightDecay',
      'lrDecay',
      'seed',
      'maxSeqLength',
      'loraR',
      'loraAlpha',
      'loraDropout',
      'evalEverySteps',
      'checkpointEverySteps',
      'earlyStopping',
      'patience',
      'minDelta',
    ])
      expect(files['train.py'], key).toContain(`CONFIG["${key}"]`);
    expect(files['train.py']).toContain('model.save_pretrained(out)');
    expect(files['train.py']).toContain('TaskType.SEQ_CLS');
    expect(JSON.parse(files['studio_settings.json'])).toEqual(s);
  });

  it('the CSVs are the exact split rows (quotes, newlines and formula-like text survive)', () => {
    for (const [file, rows] of [
      ['data/train.csv', input.train],
      ['data/validation.csv', input.validation],
    ] as const) {
      const parsed = Papa.parse<string[]>(files[file].trimEnd(), { header: false });
      expect(parsed.data[0]).toEqual(['text', 'label']);
      expect(parsed.data.slice(1)).toEqual(rows);
    }
  });

  const python = spawnSync('python3', ['--version']).status === 0;
  it.skipIf(!python)('train.py compiles with python3 -m py_compile', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'recipe-'));
    const file = path.join(dir, 'train.py');
    writeFileSync(file, files['train.py']);
    const res = spawnSync('python3', ['-m', 'py_compile', file], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    // The embedded settings load in Python exactly as written.
    const load = spawnSync(
      'python3',
      [
        '-c',
        `import ast,json,sys;src=open(sys.argv[1]).read();t=ast.parse(src);print(json.dumps([n for n in ast.walk(t) if isinstance(n,ast.Constant) and isinstance(n.value,str) and n.value.lstrip().startswith('{')][0].value and json.loads([n for n in ast.walk(t) if isinstance(n,ast.Constant) and isinstance(n.value,str) and n.value.lstrip().startswith('{')][0].value)))`,
        file,
      ],
      { encoding: 'utf8' },
    );
    expect(load.status, load.stderr).toBe(0);
    expect(JSON.parse(load.stdout)).toEqual(embedded());
  });
  if (!python) console.log('python3 not found: skipping the py_compile check of train.py');
});
