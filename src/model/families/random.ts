// A randomly initialised model of any registered family, from its tensor table: HF _init_weights (matrices and
// embeddings ~ N(0, std), norm gains 1, biases 0). For benchmarks, tests and the scripts that make random models.
import { createRng } from '../../lib/rng';
import type { ModelConfig } from '../config';
import type { NamedTensor } from '../safetensors';
import { family } from '.';
import { elementCount } from './tables';
import type { TensorSpec } from './types';

/**
 * Fill `specs` in order from one seeded RNG (so the bytes are deterministic for a given seed). `oneBuffer`: every
 * tensor a view of one buffer, as a parsed F32 download is (freed only once no view is left).
 */
export function randomTensors(specs: readonly TensorSpec[], seed: number, std: number, oneBuffer = false): Map<string, NamedTensor> {
  const rng = createRng(seed);
  const tensors = new Map<string, NamedTensor>();
  const all = oneBuffer ? new Float32Array(specs.reduce((a, s) => a + elementCount(s.shape), 0)) : null;
  let offset = 0;
  for (const s of specs) {
    const n = elementCount(s.shape);
    const data = all ? all.subarray(offset, (offset += n)) : new Float32Array(n);
    if (s.init === 'ones') data.fill(1);
    else if (s.init === 'normal') for (let i = 0; i < data.length; i++) data[i] = std * rng.normal();
    tensors.set(s.name, { shape: [...s.shape], dtype: 'F32', data });
  }
  return tensors;
}

/** Base-model weights (no task head) for a parsed config; std defaults to the config's initializer_range. */
export function randomWeights(config: ModelConfig, seed = 1, std = config.initializerRange, oneBuffer = false): Map<string, NamedTensor> {
  return randomTensors(family(config.modelType).tensorTable(config), seed, std, oneBuffer);
}
