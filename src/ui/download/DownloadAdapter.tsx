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
  return (
    <div className="row">
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
        Download adapter (PEFT zip)
      </button>
      <span className="muted">
        Load it in Python with <code>PeftModel.from_pretrained(base_model, "unzipped_folder")</code>;{' '}
        {outcome.lm ? 'a CAUSAL_LM adapter with chat_template.jinja (the template the examples were formatted with).' : 'label names are in label_map.json.'}
      </span>
      {error && <Notice tone="error">{error}</Notice>}
    </div>
  );
}
