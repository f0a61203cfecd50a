// Step 2: choose the base model: the embedded offline demo, a checkpoint from the Hugging Face Hub (curated picker or
// any id), or a local folder; shows the size estimate (fits / tight / won't fit) and per-file download progress.
import { connectAllowed, pageConnectPolicy } from './hubPolicy';
import { useState } from 'react';
import { chooseModel, loadModel, setHubBaseUrl } from '../../state/actions';
import { useStudioStore } from '../../state/studioStore';
import { Notice } from '../common/Notice';
import { estimateModel } from '../../state/modelActions';
import { LocalModelInput } from './LocalModelInput';
import { ModelDownloads } from './ModelDownloads';
import { ModelEstimateView } from './ModelEstimateView';
import { HubAccessFields, HubWaitNotice } from './HubAccessFields';
import { ModelSummaryNotes } from './ModelSummaryNotes';
import { SUGGESTED_MODEL_NOTES } from './suggestedModels';

/** Worker error codes a plain retry can fix (src/hub/hubErrors RETRYABLE_HUB_ERRORS, prefixed hub-). */
const RETRYABLE_ERRORS = new Set(['hub-rate-limited', 'hub-network', 'hub-interrupted']);

/** Small checkpoints known to publish safetensors and a tokenizer.json, sized for a browser. */
export const SUGGESTED_MODELS = [
  'google-bert/bert-base-uncased',
  'distilbert/distilbert-base-uncased',
  'sentence-transformers/all-MiniLM-L6-v2',
  'BAAI/bge-small-en-v1.5',
  'FacebookAI/roberta-base',
  'openai-community/gpt2',
  'distilbert/distilgpt2',
  'HuggingFaceTB/SmolLM2-135M',
  'Qwen/Qwen2.5-0.5B',
];

export function ModelPanel() {
  const choice = useStudioStore((s) => s.modelChoice);
  const hubBaseUrl = useStudioStore((s) => s.hubBaseUrl);
  const status = useStudioStore((s) => s.modelStatus);
  const error = useStudioStore((s) => s.modelError);
  const model = useStudioStore((s) => s.model);
  const busy = useStudioStore((s) => s.trainStatus === 'running' || s.trainStatus === 'stopping');
  const [modelId, setModelId] = useState(choice.kind === 'hub' ? choice.modelId : '');

  return (
    <section className="panel" aria-labelledby="model-title">
      <h2 id="model-title">Base model</h2>
      <div className="row">
        <label>
          <input type="radio" name="model" checked={choice.kind === 'embedded'} disabled={busy} onChange={() => chooseModel({ kind: 'embedded' })} /> Offline
          demo model (ships with the studio)
        </label>
        <label>
          <input type="radio" name="model" checked={choice.kind === 'hub'} disabled={busy} onChange={() => chooseModel({ kind: 'hub', modelId })} /> Hugging
          Face model
        </label>
        <label>
          <input
            type="radio"
            name="model"
            checked={choice.kind === 'local'}
            disabled={busy}
            onChange={() => chooseModel({ kind: 'local', name: 'local model folder', files: [] })}
          />{' '}
          Local model folder
        </label>
      </div>
      {choice.kind === 'embedded' && (
        <Notice tone="info" testId="embedded-note">
          The offline default is a small BERT-architecture network (4 layers, hidden 128, under 20 MB) with <strong>random, not pretrained</strong> weights and
          the real bert-base-uncased tokenizer: it learns your task from your data alone, so its word embeddings train too (LoRA + embeddings). It knows no
          English to start with: a pretrained Hugging Face model will do better on small datasets and on texts that need general language knowledge, and the
          classical baseline shown after each run tells you whether fine-tuning paid off.
        </Notice>
      )}
      {choice.kind === 'hub' && (
        <div className="row">
          <label>
            Suggested models{' '}
            <select
              value={SUGGESTED_MODELS.includes(modelId) ? modelId : ''}
              disabled={busy}
              onChange={(e) => {
                if (!e.target.value) return;
                setModelId(e.target.value);
                chooseModel({ kind: 'hub', modelId: e.target.value });
              }}
            >
              <option value="">Pick a small checkpoint…</option>
              {SUGGESTED_MODELS.map((m) => (
                <option key={m} value={m}>
                  {m} ({SUGGESTED_MODEL_NOTES[m] ?? 'safetensors'})
                </option>
              ))}
            </select>
          </label>
          <label>
            Model id{' '}
            <input
              list="suggested-models"
              value={modelId}
              placeholder="google-bert/bert-base-uncased"
              size={36}
              disabled={busy}
              onChange={(e) => {
                setModelId(e.target.value);
                chooseModel({ kind: 'hub', modelId: e.target.value });
              }}
            />
          </label>
          <datalist id="suggested-models">
            {SUGGESTED_MODELS.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
          <button type="button" disabled={busy || !modelId.trim() || status === 'loading'} onClick={() => void estimateModel()}>
            Check size
          </button>
          <button type="button" disabled={busy || !modelId.trim() || status === 'loading'} onClick={() => void loadModel()}>
            {status === 'loading' ? 'Loading…' : 'Load model'}
          </button>
          <HubAccessFields disabled={busy} />
          <details>
            <summary>Hub address</summary>
            <label>
              Hub base URL <input value={hubBaseUrl} size={36} onChange={(e) => setHubBaseUrl(e.target.value)} />
            </label>
            <p className="muted">
              Point this at a mirror or a local folder server; files are fetched as {'<base>/<model id>/resolve/<commit>/<file>'}, after{' '}
              {'<base>/api/models/<model id>/revision/<revision>'} names the commit.
            </p>
          </details>
          <HubPolicyNotice hubBaseUrl={hubBaseUrl} />
        </div>
      )}
      {choice.kind === 'local' && (
        <>
          <LocalModelInput disabled={busy} />
          <div className="row">
            <button type="button" disabled={busy || choice.files.length === 0 || status === 'loading'} onClick={() => void estimateModel()}>
              Check size
            </button>
            <button type="button" disabled={busy || choice.files.length === 0 || status === 'loading'} onClick={() => void loadModel()}>
              {status === 'loading' ? 'Loading…' : 'Load model'}
            </button>
          </div>
        </>
      )}
      <ModelEstimateView />
      <p className="muted">
        Supported: BERT, DistilBERT and RoBERTa encoders, GPT-2 and Llama-family (Llama, SmolLM2, Qwen2) decoders that publish config.json, tokenizer.json and
        model.safetensors (or sharded model-0000N-of-0000M.safetensors with model.safetensors.index.json; F16 and BF16 weights are converted to F32).
      </p>
      <ModelDownloads />
      <HubWaitNotice />
      {error && (
        <Notice tone="error" title="Model not loaded:" testId="model-error">
          {error.message}
          {RETRYABLE_ERRORS.has(error.code) && (
            <>
              {' '}
              <button type="button" disabled={busy || status === 'loading'} onClick={() => void loadModel()}>
                Retry
              </button>
            </>
          )}
        </Notice>
      )}
      {model && status === 'ready' && (
        <p data-testid="model-summary">
          <strong>{model.modelId}</strong>: {model.modelType}, {model.numLayers} layers, hidden {model.hiddenSize}, {model.numHeads} heads,{' '}
          {(model.parameterCount / 1e6).toFixed(2)} M parameters
          {!model.pretrained && ' (not pretrained)'}.
          {model.checkpoint && (
            <span className="muted" data-testid="model-checkpoint">
              {' '}
              Weights: {model.checkpoint.files.length} file{model.checkpoint.files.length > 1 ? 's' : ''}, stored as {model.checkpoint.storedDtypes.join('/')}
              {model.checkpoint.storedDtypes.some((d) => d !== 'F32') && ' (converted to F32)'}
              {model.checkpoint.tiedHead && `, LM head tied to the embeddings (${model.checkpoint.tiedHead})`}.
            </span>
          )}
          <ModelSummaryNotes model={model} />
        </p>
      )}
    </section>
  );
}

/** A hub the page's security policy cannot reach gets a message before any download fails. */
function HubPolicyNotice({ hubBaseUrl }: { hubBaseUrl: string }) {
  const policy = pageConnectPolicy();
  if (!policy || !hubBaseUrl || connectAllowed(`${hubBaseUrl}/`, policy, location.origin)) return null;
  return (
    <Notice tone="error" title="This hub address is blocked:" testId="hub-blocked">
      the page's security policy only connects to this site, the Hugging Face hosts and local servers (localhost, 127.0.0.1). To use {hubBaseUrl}, build the
      studio with STUDIO_HUB_ORIGINS set to that address.
    </Notice>
  );
}
