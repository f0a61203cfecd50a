// Downloads the trained adapter as a zip in PEFT's layout (adapter_config.json + adapter_model.safetensors).
import { useState } from 'react';
import { exportAdapter } from '../../state/actions';
import { useStudioStore } from '../../state/studioStore';
import { Notice } from '../common/Notice';
import { saveBytes } from '../common/saveBytes';

export function DownloadAdapter() {
  const outcome = useStudioStore((s) => s.outcome);
  const [error, setError] = useState<string | null>(null);
  if (!outcome || outcome.steps === 0) return null;
  const full = outcome.strategy === 'full';
  return (
    <div className="row">
      {outcome.verdict?.warnBeforeDownload && (
        <Notice tone="warning" title="Before you download:" testId="download-warning">
          this {full ? 'model' : 'adapter'} is{' '}
          {outcome.verdict.noBetterThanMajority
            ? 'no better than always guessing the majority class'
            : 'worse than the classical baseline (TF-IDF + logistic regression)'}
          . {outcome.verdict.sentence}
        </Notice>
      )}
      <button
        type="button"
        className="primary"
        onClick={async () => {
          const res = await exportAdapter();
          if ('bytes' in res) {
            setError(null);
            saveBytes(res.bytes, res.fileName);
          } else setError(res.message);
        }}
      >
        {full ? 'Download model (save_pretrained zip)' : 'Download adapter (PEFT zip)'}
      </button>
      <span className="muted">
        {full ? (
          <>
            Load it in Python with <code>AutoModelForSequenceClassification.from_pretrained("unzipped_folder")</code>; config.json has the label names.
          </>
        ) : (
          <>
            Load it in Python with <code>PeftModel.from_pretrained(base_model, "unzipped_folder")</code>;{' '}
          </>
        )}{' '}
        {full
          ? ''
          : outcome.lm
            ? 'a CAUSAL_LM adapter with chat_template.jinja (the template the examples were formatted with).'
            : 'label names are in label_map.json.'}
      </span>
      {error && <Notice tone="error">{error}</Notice>}
    </div>
  );
}
