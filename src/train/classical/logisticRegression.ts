// Multinomial (softmax) logistic regression on sparse CSR features, L2-regularised like sklearn's
// LogisticRegression(C): minimises mean cross-entropy + ||W||^2 / (2 C n) (sklearn's scaling of sum + ||W||^2 / 2C),
// bias unpenalised, fitted with L-BFGS until the largest gradient entry is below lbfgs.gradTolerance (sklearn tol).
// Hand-written because no maintained JS library does sparse multinomial LR; tfjs would need dense rows.
import type { CsrMatrix } from './tfidf';
import { DEFAULT_LBFGS, minimizeLbfgs, type LbfgsOptions } from './lbfgs';

export type LogisticModel = { numFeatures: number; numClasses: number; /** [F * K], row-major by feature */ weights: Float64Array; bias: Float64Array };
export type LogisticOptions = { c: number; lbfgs: LbfgsOptions };
export const DEFAULT_LOGISTIC: LogisticOptions = { c: 10, lbfgs: DEFAULT_LBFGS };

/** Row scores [rows * K] = X W + b. */
export function decisionScores(model: LogisticModel, X: CsrMatrix): Float64Array {
  const K = model.numClasses;
  const out = new Float64Array(X.rows * K);
  for (let i = 0; i < X.rows; i++) {
    const o = i * K;
    for (let k = 0; k < K; k++) out[o + k] = model.bias[k];
    for (let p = X.rowPtr[i]; p < X.rowPtr[i + 1]; p++) {
      const v = X.values[p];
      const w = X.colIdx[p] * K;
      for (let k = 0; k < K; k++) out[o + k] += v * model.weights[w + k];
    }
  }
  return out;
}

export function predictClasses(model: LogisticModel, X: CsrMatrix): number[] {
  const s = decisionScores(model, X);
  const K = model.numClasses;
  return Array.from({ length: X.rows }, (_, i) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (s[i * K + k] > s[i * K + best]) best = k;
    return best;
  });
}

export function fitLogisticRegression(
  X: CsrMatrix,
  labels: readonly number[],
  numClasses: number,
  opts: LogisticOptions = DEFAULT_LOGISTIC,
): LogisticModel & { iterations: number } {
  const K = numClasses;
  const F = X.cols;
  const nW = F * K;
  const n = Math.max(1, X.rows);
  const lambda = 1 / (opts.c * n);
  const probs = new Float64Array(K);
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < X.rows; i++) {
      for (let k = 0; k < K; k++) probs[k] = theta[nW + k];
      for (let p = X.rowPtr[i]; p < X.rowPtr[i + 1]; p++) {
        const v = X.values[p];
        const w = X.colIdx[p] * K;
        for (let k = 0; k < K; k++) probs[k] += v * theta[w + k];
      }
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, probs[k]);
      let z = 0;
      for (let k = 0; k < K; k++) z += probs[k] = Math.exp(probs[k] - max);
      loss -= Math.log(probs[labels[i]] / z) / n;
      for (let k = 0; k < K; k++) probs[k] = (probs[k] / z - (k === labels[i] ? 1 : 0)) / n;
      for (let p = X.rowPtr[i]; p < X.rowPtr[i + 1]; p++) {
        const v = X.values[p];
        const w = X.colIdx[p] * K;
        for (let k = 0; k < K; k++) grad[w + k] += v * probs[k];
      }
      for (let k = 0; k < K; k++) grad[nW + k] += probs[k];
    }
    let reg = 0;
    for (let j = 0; j < nW; j++) {
      reg += theta[j] * theta[j];
      grad[j] += lambda * theta[j];
    }
    return loss + 0.5 * lambda * reg;
  };
  const theta = new Float64Array(nW + K);
  const r = minimizeLbfgs(objective, theta, opts.lbfgs);
  return { numFeatures: F, numClasses: K, weights: r.x.subarray(0, nW), bias: r.x.subarray(nW), iterations: r.iterations };
}
