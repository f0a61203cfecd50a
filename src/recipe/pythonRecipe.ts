// The Python recipe (issue 14): everything needed to reproduce a studio classification run on a real machine with
// transformers + PEFT — train.py, the exact split as CSV, the settings, pinned requirements, accelerate configs for
// DeepSpeed / FSDP, and a README. Pure: returns file names and contents; the caller zips them.
import Papa from 'papaparse';
import type { TrainConfig } from '../protocol/messages';
import { TRAIN_PY } from './trainPy';

export type RecipeInput = {
  runName: string;
  modelId: string;
  revision: string | null;
  modelType: string;
  config: TrainConfig;
  targetModules: string[];
  fanInFanOut: boolean;
  labelNames: string[];
  train: [text: string, label: string][];
  validation: [text: string, label: string][];
  warmupRatio: number;
};

/** Versions the recipe pins (a consistent set: PEFT 0.13 with transformers 4.46 and accelerate 1.1). */
export const PINNED = ['torch==2.5.1', 'transformers==4.46.3', 'peft==0.13.2', 'accelerate==1.1.1', 'safetensors==0.4.5', 'numpy==1.26.4'];

const ACCELERATE_DEEPSPEED = `compute_environment: LOCAL_MACHINE
distributed_type: DEEPSPEED
deepspeed_config:
  zero_stage: 2
  gradient_accumulation_steps: auto
  offload_optimizer_device: none
  offload_param_device: none
mixed_precision: 'no'
num_processes: 2
`;
const ACCELERATE_FSDP = `compute_environment: LOCAL_MACHINE
distributed_type: FSDP
fsdp_config:
  fsdp_auto_wrap_policy: TRANSFORMER_BASED_WRAP
  fsdp_sharding_strategy: FULL_SHARD
  fsdp_state_dict_type: SHARDED_STATE_DICT
  fsdp_use_orig_params: true
mixed_precision: 'no'
num_processes: 2
`;

const csv = (rows: [string, string][]) => Papa.unparse({ fields: ['text', 'label'], data: rows }, { newline: '\n', escapeFormulae: false });

/** The settings block train.py reads (embedded in the script as JSON). */
export function recipeSettings(input: RecipeInput) {
  return {
    modelId: input.modelId,
    revision: input.revision ?? 'main',
    modelType: input.modelType,
    labelNames: input.labelNames,
    targetModules: input.targetModules,
    fanInFanOut: input.fanInFanOut,
    warmupRatio: input.warmupRatio,
    trainRows: input.train.length,
    validationRows: input.validation.length,
    trainConfig: input.config,
  };
}

export function buildRecipeFiles(input: RecipeInput): Record<string, string> {
  const settings = recipeSettings(input);
  const json = JSON.stringify(settings, null, 2);
  if (json.includes('"""')) throw new Error('settings cannot be embedded');
  const c = input.config;
  return {
    'train.py': TRAIN_PY.replace('__STUDIO_JSON__', json),
    'studio_settings.json': json + '\n',
    'data/train.csv': csv(input.train) + '\n',
    'data/validation.csv': csv(input.validation) + '\n',
    'requirements.txt': PINNED.join('\n') + '\n',
    'accelerate/deepspeed_zero2.yaml': ACCELERATE_DEEPSPEED,
    'accelerate/fsdp.yaml': ACCELERATE_FSDP,
    'README.md': `# Recipe: ${input.runName}

This folder reproduces a Fine-tuning Studio run with Hugging Face transformers + PEFT on your own machine.

- Base model: \`${input.modelId}\` at revision \`${settings.revision}\` (${input.modelType})
- Task: sequence classification, ${input.labelNames.length} labels (${input.labelNames.join(', ')})
- Strategy: LoRA r=${c.loraR}, alpha=${c.loraAlpha}, dropout=${c.loraDropout} on ${input.targetModules.join(', ')}; the classifier head trained in full
- Data: the studio's exact split, ${input.train.length} training rows (\`data/train.csv\`) and ${input.validation.length} validation rows (\`data/validation.csv\`)
- Every setting: \`studio_settings.json\` (the same JSON is embedded in \`train.py\`)

## Run

\`\`\`bash
python -m venv .venv && . .venv/bin/activate
pip install -r requirements.txt
python train.py                       # one GPU, Apple MPS or the CPU
accelerate launch train.py            # all GPUs of this machine (run \`accelerate config\` once)
accelerate launch --config_file accelerate/deepspeed_zero2.yaml train.py   # DeepSpeed ZeRO-2 (pip install deepspeed)
accelerate launch --config_file accelerate/fsdp.yaml train.py              # PyTorch FSDP
\`\`\`

With several GPUs the effective batch is batch size x gradient accumulation x GPUs; divide the batch size to
keep the studio's ${c.batchSize * c.gradAccumSteps}.

## Output

\`adapter/\` holds \`adapter_config.json\`, \`adapter_model.safetensors\` and \`label_map.json\`: the layout the studio
exports, so the studio (or \`PeftModel.from_pretrained\`) loads it back.

Numbers will be close to the studio's, not identical: PyTorch kernels, dropout masks and data order differ from the
browser's TensorFlow.js run.
`,
  };
}
