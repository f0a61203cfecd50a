// The downloadable causal-LM adapter: PEFT's two files (task CAUSAL_LM; GPT-2 with fan_in_fan_out), the chat
// template the examples were formatted with (chat_template.jinja) and a README on loading it and formatting prompts.
import { strToU8, zipSync } from 'fflate';
import type { ChatTemplateFile } from '../../tokenize/chatFormat';
import type { LmTask } from '../../protocol/lmMessages';
import { peftRevision } from './adapterReadme';

export type LmAdapterZipInput = {
  modelId: string;
  task: LmTask;
  adapterConfigJson: string;
  adapterSafetensors: Uint8Array;
  template: ChatTemplateFile;
  trainOnPrompt: boolean;
};

export function lmAdapterReadme(a: LmAdapterZipInput): string {
  const revision = peftRevision(a.adapterConfigJson);
  const rev = revision ? `, revision="${revision}"` : '';
  const data =
    a.task === 'domain'
      ? 'Continued pre-training on domain text packed into fixed-length blocks (every token a target).'
      : `Instruction tuning: ${a.template.note} ${a.trainOnPrompt ? 'The prompt tokens were trained on too.' : 'Prompt tokens were masked (labels -100).'} An EOS token ends every completion.`;
  return `# LoRA adapter (causal LM) for ${a.modelId}

Trained in the browser by Fine-tuning Studio. PEFT format, task CAUSAL_LM: \`adapter_config.json\` and
\`adapter_model.safetensors\`. ${data}

\`chat_template.jinja\` is the template used to format training examples (${a.template.source}).

\`\`\`python
from transformers import AutoModelForCausalLM, AutoTokenizer
from peft import PeftModel

base = AutoModelForCausalLM.from_pretrained("${a.modelId}"${rev})
model = PeftModel.from_pretrained(base, ".")  # this folder
tokenizer = AutoTokenizer.from_pretrained("${a.modelId}"${rev})
tokenizer.chat_template = open("chat_template.jinja").read()
prompt = tokenizer.apply_chat_template([{"role": "user", "content": "..."}], tokenize=False, add_generation_prompt=True)
ids = tokenizer(prompt, return_tensors="pt", add_special_tokens=${a.template.source === 'plain' ? 'True' : 'False'})
print(tokenizer.decode(model.generate(**ids, max_new_tokens=64)[0]))
\`\`\`
`;
}

export function buildLmAdapterZip(a: LmAdapterZipInput): Uint8Array {
  return zipSync({
    'adapter_config.json': strToU8(a.adapterConfigJson),
    'adapter_model.safetensors': a.adapterSafetensors,
    [a.template.fileName]: strToU8(a.template.content),
    'README.md': strToU8(lmAdapterReadme(a)),
  });
}
