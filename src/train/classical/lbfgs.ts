// Limited-memory BFGS (Nocedal & Wright, Algorithm 7.4 two-loop recursion) with a backtracking Armijo line
// search, on Float64Array parameters. Hand-written: the objective is a sparse multinomial logistic regression
// (logisticRegression.ts), and no maintained JS library offers L-BFGS over plain arrays for it.

export type Objective = (x: Float64Array, grad: Float64Array) => number;
export type LbfgsOptions = { maxIterations: number; memory: number; gradTolerance: number };
/** sklearn's LogisticRegression defaults: max_iter 100, tol 1e-4 on the largest gradient entry. */
export const DEFAULT_LBFGS: LbfgsOptions = { maxIterations: 100, memory: 7, gradTolerance: 1e-4 };

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** Minimises f from x0 (changed in place and returned) and reports the iterations used and the final value. */
export function minimizeLbfgs(f: Objective, x0: Float64Array, opts: LbfgsOptions = DEFAULT_LBFGS): { x: Float64Array; value: number; iterations: number } {
  const n = x0.length;
  const x = x0;
  let g = new Float64Array(n);
  let fx = f(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  let it = 0;
  for (; it < opts.maxIterations; it++) {
    let gMax = 0;
    for (let i = 0; i < n; i++) gMax = Math.max(gMax, Math.abs(g[i]));
    if (gMax <= opts.gradTolerance) break;
    // Two-loop recursion: d = -H g.
    d.set(g);
    const alpha: number[] = [];
    for (let k = S.length - 1; k >= 0; k--) {
      const a = rho[k] * dot(S[k], d);
      alpha[k] = a;
      for (let i = 0; i < n; i++) d[i] -= a * Y[k][i];
    }
    const gamma = S.length > 0 ? dot(S.at(-1)!, Y.at(-1)!) / dot(Y.at(-1)!, Y.at(-1)!) : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let i = 0; i < n; i++) d[i] *= gamma;
    for (let k = 0; k < S.length; k++) {
      const b = rho[k] * dot(Y[k], d);
      for (let i = 0; i < n; i++) d[i] += S[k][i] * (alpha[k] - b);
    }
    for (let i = 0; i < n; i++) d[i] = -d[i];
    let slope = dot(g, d);
    if (slope >= 0) {
      // Not a descent direction (curvature noise): restart from steepest descent.
      for (let i = 0; i < n; i++) d[i] = -g[i];
      slope = -dot(g, g);
      S.length = Y.length = rho.length = 0;
    }
    let step = 1;
    let fNew = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = f(xNew, gNew);
      if (fNew <= fx + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew < fx)) break; // no progress possible at float precision
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > opts.memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    x.set(xNew);
    [g, gNew] = [gNew, g];
    const converged = Math.abs(fx - fNew) <= 1e-10 * Math.max(1, Math.abs(fx));
    fx = fNew;
    if (converged) {
      it++;
      break;
    }
  }
  return { x, value: fx, iterations: it };
}
