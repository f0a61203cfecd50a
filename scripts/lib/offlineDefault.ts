// The offline default's files (public/models/studio-mini-bert) from OFFLINE_DEFAULT_DIMS: one writer for the CLI
// (makeDefaultModel.ts) and the test that the shipped bytes are what the script makes.
import { OFFLINE_DEFAULT_DIMS } from '../../src/protocol/defaultModel';
import { DEFAULT_DIMS as MOCK_DIMS, writeBertModelDir, type BertDims } from './bertModel';

export const OFFLINE_DEFAULT_DIR = 'public/models/studio-mini-bert';
export const OFFLINE_DEFAULT_NOTE = 'random init, not pretrained: it learns your task from your data alone (LoRA + trainable embeddings by default)';

const { dropout, ...dims } = OFFLINE_DEFAULT_DIMS;
export const OFFLINE_DEFAULT_BERT_DIMS: BertDims = { ...MOCK_DIMS, ...dims };
export const OFFLINE_DEFAULT_DROPOUT: number = dropout;

export function writeOfflineDefault(outDir: string, d: BertDims = OFFLINE_DEFAULT_BERT_DIMS, drop: number = OFFLINE_DEFAULT_DROPOUT): void {
  writeBertModelDir(outDir, d, { _studio_note: OFFLINE_DEFAULT_NOTE, hidden_dropout_prob: drop, attention_probs_dropout_prob: drop });
}
