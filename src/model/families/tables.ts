// Helpers the families use to write their tensor tables: an nn.Linear / Conv1D (weight + optional bias), a norm,
// an embedding. Pure; no tfjs.
import type { TaskType } from '../types';
import type { TensorSpec } from './types';

/** nn.Linear at `module`: weight [out, in] (or Conv1D [in, out]) + bias [out]. */
export function linearSpecs(module: string, inF: number, outF: number, opts: { bias: boolean; conv1d?: boolean; layer?: number }): TensorSpec[] {
  const out: TensorSpec[] = [
    { name: `${module}.weight`, shape: opts.conv1d ? [inF, outF] : [outF, inF], init: 'normal', linear: { module, inF, outF }, layer: opts.layer },
  ];
  if (opts.bias) out.push({ name: `${module}.bias`, shape: [outF], init: 'zeros', layer: opts.layer });
  return out;
}

/** LayerNorm (weight + bias) or RMSNorm (weight only) over C channels. */
export function normSpecs(module: string, C: number, opts: { bias: boolean; layer?: number; weightName?: string }): TensorSpec[] {
  const out: TensorSpec[] = [{ name: `${module}.${opts.weightName ?? 'weight'}`, shape: [C], init: 'ones', layer: opts.layer }];
  if (opts.bias) out.push({ name: `${module}.bias`, shape: [C], init: 'zeros', layer: opts.layer });
  return out;
}

export const embeddingSpec = (name: string, rows: number, C: number): TensorSpec => ({ name, shape: [rows, C], init: 'normal' });

export const elementCount = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);

/** PEFT's target rule for a list of names: the module path equals a name or ends with '.' + name. */
export function matchesTarget(module: string, targets: readonly string[]): boolean {
  return targets.some((t) => module === t || module.endsWith(`.${t}`));
}

/** Elements of the specs a model built for `task` holds on the device. */
export function loadedElementCount(specs: readonly TensorSpec[], task: TaskType): number {
  return specs.filter((s) => !s.onlyFor || s.onlyFor.includes(task)).reduce((a, s) => a + elementCount(s.shape), 0);
}
