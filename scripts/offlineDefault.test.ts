// The shipped offline default is exactly what its script makes from OFFLINE_DEFAULT_DIMS (fixed seed), and stays
// within the download the page can afford.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OFFLINE_DEFAULT_DIMS } from '../src/protocol/defaultModel';
import { OFFLINE_DEFAULT_DIR, writeOfflineDefault } from './lib/offlineDefault';

const out = mkdtempSync(join(tmpdir(), 'offline-default-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the offline default model', () => {
  it('is reproduced byte for byte by scripts/makeDefaultModel.ts', () => {
    writeOfflineDefault(out);
    const shipped = readdirSync(OFFLINE_DEFAULT_DIR).sort();
    expect(readdirSync(out).sort()).toEqual(shipped);
    for (const f of shipped) expect(readFileSync(join(out, f)).equals(readFileSync(join(OFFLINE_DEFAULT_DIR, f))), f).toBe(true);
  });

  it('has the measured sizes and dropout in its config.json, and downloads in at most 20 MB', () => {
    const cfg = JSON.parse(readFileSync(join(OFFLINE_DEFAULT_DIR, 'config.json'), 'utf8'));
    const d = OFFLINE_DEFAULT_DIMS;
    expect(cfg).toMatchObject({ hidden_size: d.hidden, num_hidden_layers: d.layers, num_attention_heads: d.heads, intermediate_size: d.intermediate });
    expect(cfg).toMatchObject({ hidden_dropout_prob: d.dropout, attention_probs_dropout_prob: d.dropout, initializer_range: d.initStd });
    const bytes = readdirSync(OFFLINE_DEFAULT_DIR).reduce((a, f) => a + statSync(join(OFFLINE_DEFAULT_DIR, f)).size, 0);
    expect(bytes).toBeLessThanOrEqual(20e6);
  });
});
