// classify (issue 14): the classification playground's prediction for one text by the chosen adapter (the last
// run's, the imported one) or by the loaded model's own head (an imported full model); every class's probability.
import * as tf from '@tensorflow/tfjs-core';
import type { ClassifyResult, ClassifyWith } from '../../protocol/messages';
import { tryParseModelConfig, withLabels } from '../../model/config';
import { tryLoadModel } from '../../model/loadModel';
import type { LoraAdapter } from '../../model/lora';
import { ADAPTER_CONFIG_NAME, ADAPTER_WEIGHTS_NAME, tryImportPeftAdapter } from '../../model/peftAdapter';
import { padBatch } from '../../train/batches';
import { evaluateLogits } from '../../train/classifierStep';
import { encodeOne, padId } from '../../tokenize/tokenizer';
import type { HandlerContext } from '../handlerContext';
import { labelOrder } from '../importFiles';
import { readAdapterZip } from '../../model/peft/adapterZip';
import { getRun, listCheckpoints, readCheckpoint } from '../../storage';
import { getStudioStore } from '../storageHandle';
import { sharedWeights } from '../modelFit';
import { StudioError } from '../userError';

type Chosen = { name: string; labelNames: string[] | null; files: { config: string; weights: Uint8Array } | null };

/** A stored run's adapter: its last checkpoint. */
async function storedAdapter(runId: string): Promise<Chosen> {
  const store = await getStudioStore();
  if (!store) throw new StudioError('no-storage', 'This browser offers no IndexedDB here, so stored runs cannot be read.');
  const run = await getRun(store, runId);
  // The last checkpoint written: a finished run's final adapter (the one its download gives).
  const pick = [...(await listCheckpoints(store, runId))].sort((a, b) => a.createdAt - b.createdAt).at(-1);
  const checkpoint = pick ? await readCheckpoint(store, pick.id) : null;
  const zip = checkpoint ? readAdapterZip(checkpoint.blob.adapter) : null;
  if (!run || !zip) throw new StudioError('no-adapter', 'That run has no stored classification adapter (it may have been deleted).');
  return {
    name: `run ${run.name} (step ${pick!.step})`,
    labelNames: [...zip.labelNames],
    files: { config: zip.adapterConfigJson, weights: zip.adapterSafetensors },
  };
}

/** The chosen adapter's PEFT files and label order; null files = the model's own head. */
async function chosen(ctx: HandlerContext, which: ClassifyWith): Promise<Chosen> {
  const { session } = ctx;
  if (which.startsWith('stored:')) return storedAdapter(which.slice('stored:'.length));
  if (which === 'imported') {
    const imp = session.imported;
    if (!imp) throw new StudioError('no-adapter', 'Import an adapter first (the Runs step).');
    return { name: `imported adapter ${imp.fileName}`, labelNames: imp.labelNames, files: { config: imp.configJson, weights: imp.weights } };
  }
  if (which === 'run') {
    const run = session.trained;
    if (!run) throw new StudioError('no-adapter', 'Train a classifier first: there is no run adapter yet.');
    if (run.lmZip || run.fullModelZip) throw new StudioError('no-adapter', 'The last run is not a LoRA classifier (causal LM or full fine-tuning).');
    return { name: 'the last run', labelNames: run.labelNames, files: { config: run.adapterConfigJson, weights: run.adapterSafetensors } };
  }
  const own = session.importedModelLabels;
  const labelNames = own && own.modelId === session.baseModel?.modelId ? own.labelNames : labelOrder(JSON.stringify(session.baseModel?.configJson ?? {}));
  return { name: 'the loaded model', labelNames, files: null };
}

export async function handleClassify(args: { text: string; adapter: ClassifyWith; maxSeqLength: number }, ctx: HandlerContext): Promise<ClassifyResult> {
  const base = ctx.session.baseModel;
  if (!base) throw new StudioError('no-model', 'Load a model first (the Model step).');
  if (ctx.session.training) throw new StudioError('busy', 'A run is training: try the playground when it has finished.');
  const pick = await chosen(ctx, args.adapter);
  const parsed = tryParseModelConfig(base.configJson);
  if (!parsed.ok) throw new StudioError('unsupported-model', parsed.error);
  const labelNames = pick.labelNames ?? parsed.value.id2label ?? [];
  if (labelNames.length < 2) throw new StudioError('no-adapter', `${base.modelId} has no classification labels: train or import an adapter first.`);
  const built = tryLoadModel(base.tensors, withLabels(parsed.value, labelNames), { task: 'SEQ_CLS', seed: 0, bank: sharedWeights(base) });
  if (!built.ok) throw new StudioError('bad-weights', `${base.modelId}: ${built.error}`);
  const model = built.value;
  let adapter: LoraAdapter | null = null;
  try {
    if (pick.files) {
      const r = tryImportPeftAdapter(model, { [ADAPTER_CONFIG_NAME]: pick.files.config, [ADAPTER_WEIGHTS_NAME]: pick.files.weights });
      if (!r.ok) throw new StudioError('adapter-mismatch', `${pick.name} does not fit ${base.modelId}: ${r.error}`);
      adapter = r.value;
    }
    const pad = typeof parsed.value.padTokenId === 'number' ? parsed.value.padTokenId : padId(base.tokenizer);
    const batch = padBatch([{ ids: encodeOne(base.tokenizer, args.text, args.maxSeqLength), label: 0 }], pad);
    const logits = evaluateLogits(model, adapter, batch);
    const probs = tf.tidy(() => tf.softmax(logits));
    const p = await probs.data().finally(() => tf.dispose([logits, probs]));
    const probabilities = labelNames.map((label, i) => ({ label, p: p[i] })).sort((a, b) => b.p - a.p);
    return { adapter: pick.name, label: probabilities[0].label, probabilities };
  } finally {
    adapter?.dispose();
    model.dispose();
  }
}
