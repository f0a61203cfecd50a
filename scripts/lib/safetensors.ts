// Safetensors for build scripts and their tests: thin wrappers over the studio's own reader/writer
// (src/model/safetensors.ts), with the scripts' defaults (metadata {"format":"pt"}, F32 results).
import { serializeSafetensors, tryParseSafetensors } from '../../src/model/safetensors';

export type F32Tensor = { shape: number[]; data: Float32Array };

export function writeSafetensors(tensors: Record<string, F32Tensor>, metadata: Record<string, string> = { format: 'pt' }): Uint8Array {
  return serializeSafetensors(tensors, metadata);
}

/** Reader used by script tests and the mock hub checks (F16/BF16 come back converted to F32). */
export function readSafetensors(bytes: Uint8Array): { metadata: Record<string, string>; tensors: Record<string, F32Tensor> } {
  const parsed = tryParseSafetensors(bytes);
  if (!parsed.ok) throw new Error(parsed.error);
  const tensors: Record<string, F32Tensor> = {};
  for (const [name, t] of parsed.value.tensors) tensors[name] = { shape: t.shape, data: t.data };
  return { metadata: parsed.value.metadata, tensors };
}
