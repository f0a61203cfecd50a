// The README.md put in the adapter zip: how to load it with PEFT, and what the labels are.

/** `revision` (the base commit) pins from_pretrained to the weights the adapter was trained on. */
export function adapterReadme(modelId: string, labelNames: readonly string[], revision: string | null = null): string {
  const rev = revision ? `, revision="${revision}"` : '';
  const labels = labelNames.map((l, i) => `${i}: ${l}`).join(', ');
  return `# LoRA adapter for ${modelId}

Trained in the browser by Fine-tuning Studio. PEFT format (task SEQ_CLS): \`adapter_config.json\` and
\`adapter_model.safetensors\`; the classification head is saved as a module to save.

Labels (${labelNames.length}): ${labels}. \`label_map.json\` has id2label and label2id.

\`\`\`python
import json
from transformers import AutoModelForSequenceClassification, AutoTokenizer
from peft import PeftModel

labels = json.load(open("label_map.json"))
base = AutoModelForSequenceClassification.from_pretrained(
    "${modelId}"${rev}, num_labels=labels["num_labels"],
    id2label={int(k): v for k, v in labels["id2label"].items()}, label2id=labels["label2id"])
model = PeftModel.from_pretrained(base, ".")  # this folder
tokenizer = AutoTokenizer.from_pretrained("${modelId}"${rev})
\`\`\`
`;
}

/** The base commit recorded in an adapter_config.json (PEFT's `revision`), or null. */
export function peftRevision(adapterConfigJson: string): string | null {
  try {
    const r = (JSON.parse(adapterConfigJson) as { revision?: unknown }).revision;
    return typeof r === 'string' && r !== '' ? r : null;
  } catch {
    return null;
  }
}
