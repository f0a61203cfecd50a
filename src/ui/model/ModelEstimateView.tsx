// The pre-download estimate: parameters, download size, training memory and the fits / tight / won't-fit verdict
// with its reasons, held against the device limits the worker read.
import { useStudioStore } from '../../state/studioStore';

const fmt = (b: number) => (b >= 1e9 ? `${(b / 1e9).toFixed(2)} GB` : b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(1)} kB`);
const VERDICT = { fits: 'fits', tight: 'tight', 'wont-fit': "won't fit" } as const;
const BADGE = { fits: 'badge-finished', tight: 'badge-paused', 'wont-fit': 'badge-failed' } as const;

export function ModelEstimateView() {
  const e = useStudioStore((s) => s.modelEstimate);
  const status = useStudioStore((s) => s.estimateStatus);
  if (status === 'loading')
    return (
      <p className="muted" data-testid="model-estimate">
        Estimating size…
      </p>
    );
  if (!e) return null;
  const l = e.limits;
  return (
    <div data-testid="model-estimate" data-verdict={e.verdict}>
      <p>
        <span className={`badge ${BADGE[e.verdict]}`} data-testid="model-verdict">
          {VERDICT[e.verdict]}
        </span>{' '}
        <strong>{e.modelId}</strong>: {(e.parameterCount / 1e6).toFixed(2)} M parameters ({e.fromHeaders ? 'from the safetensors headers' : 'from config.json'}
        ), download {fmt(e.downloadBytes)} in {e.weightFiles.length} file{e.weightFiles.length > 1 ? 's' : ''}; training needs about {fmt(e.totalBytes)}{' '}
        (weights {fmt(e.weightBytes)} in F32{e.jsWeightBytes > 0 && ` + ${fmt(e.jsWeightBytes)} kept in JS`}, backward copies {fmt(e.backwardCopyBytes)}
        {e.packedBytes > 0 && `, packed matmul weights ${fmt(e.packedBytes)}`}
        {e.packing === 'transient' && `, frozen weights packed per matmul and freed (slower steps; ${fmt(e.transientBytes)} at once)`}, LoRA + optimizer{' '}
        {fmt(e.trainableBytes)}, activations {fmt(e.activationBytes)}
        {e.lossBytes > 0 && `, LM logits and their gradients ${fmt(e.lossBytes)}`}); loading peaks at about {fmt(e.loadPeakBytes)}.
      </p>
      <p className="muted">
        Largest matrix {e.largestTensor.name} ({e.largestTensor.shape.join('×')}, {fmt(e.largestTensor.bytes)}). Limits of the {l.source}:
        {l.maxStorageBufferBindingSize !== null && ` maxStorageBufferBindingSize ${fmt(l.maxStorageBufferBindingSize)},`}
        {l.maxBufferSize !== null && ` maxBufferSize ${fmt(l.maxBufferSize)},`} memory budget {fmt(l.memoryBudget)}.
      </p>
      {e.reasons.length > 0 && (
        <ul data-testid="model-estimate-reasons">
          {e.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
