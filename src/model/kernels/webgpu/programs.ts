// WGSL programs for tfjs-backend-webgpu (the shape of its own WebGPUProgram: variableNames bind as storage arrays,
// `result` is the output, `uniforms` carries shapes plus ours; main() is called from tfjs's generated _start).
// Written by hand because tfjs has no fused attention, LoRA linear or cross-entropy kernel.

/** The fields of tfjs-backend-webgpu's WebGPUProgram that we set (its type is not exported from the package). */
export type StudioProgram = {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[]; y?: number[]; z?: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms?: string;
  getUserCode: () => string;
};

const ceil = (a: number, b: number) => Math.ceil(a / b);
const flat = (n: number, wg: number) => ({ dispatchLayout: { x: [0] }, dispatch: [ceil(n, wg), 1, 1] as [number, number, number] });

export type AttentionDims = { B: number; H: number; Tq: number; Tk: number; D: number; maskB: number; maskQ: number; hasMask: boolean };

/**
 * softmax(q·kᵀ·scale + mask)·v for q [B, H, Tq, D], k and v [B, H, Tk, D], mask [maskB, 1, maskQ, Tk] (maskB, maskQ
 * 1 or full): one invocation per query row, online softmax (running max and sum) over the keys, never storing the
 * [Tq, Tk] scores. The first key starts the running max, so a row whose keys are all masked is uniform, as softmax.
 */
export function attentionProgram(d: AttentionDims): StudioProgram {
  const rows = d.B * d.H * d.Tq;
  return {
    variableNames: d.hasMask ? ['q', 'k', 'v', 'mask'] : ['q', 'k', 'v'],
    outputShape: [d.B, d.H, d.Tq, d.D],
    // Only D (the accumulator's size) and whether there is a mask are compiled in: sequence lengths and mask
    // broadcasting come from the shape uniforms, so batches of other lengths reuse the pipeline.
    shaderKey: `studioAttention_${d.D}_${d.hasMask}`,
    ...flat(rows, 64),
    workgroupSize: [64, 1, 1],
    uniforms: 'scale : f32,',
    getUserCode: () => `
      const ATT_D = ${d.D};
      fn attScore(qOff : i32, kOff : i32, mOff : i32, j : i32) -> f32 {
        var s = 0.0;
        for (var c = 0; c < ATT_D; c++) { s += q[qOff + c] * k[kOff + c]; }
        return s * uniforms.scale${d.hasMask ? ' + mask[mOff + j]' : ''};
      }
      fn main(index : i32) {
        let heads = uniforms.qShape[1];
        let tq = uniforms.qShape[2];
        let tk = uniforms.kShape[2];
        if (index >= uniforms.qShape[0] * heads * tq) { return; }
        let i = index % tq;
        let bh = index / tq;
        let b = bh / heads;
        let qOff = index * ATT_D;
        let kBase = bh * tk * ATT_D;
        let mOff = ${d.hasMask ? 'select(0, b, uniforms.maskShape[0] > 1) * uniforms.maskShape[2] * tk + select(0, i, uniforms.maskShape[2] > 1) * tk' : '0'};
        var acc : array<f32, ${d.D}>;
        var m = attScore(qOff, kBase, mOff, 0);
        var l = 1.0;
        for (var c = 0; c < ATT_D; c++) { acc[c] = v[kBase + c]; }
        for (var j = 1; j < tk; j++) {
          let kOff = kBase + j * ATT_D;
          let s = attScore(qOff, kOff, mOff, j);
          let mNew = max(m, s);
          let corr = exp(m - mNew);
          let p = exp(s - mNew);
          l = l * corr + p;
          for (var c = 0; c < ATT_D; c++) { acc[c] = acc[c] * corr + p * v[kOff + c]; }
          m = mNew;
        }
        for (var c = 0; c < ATT_D; c++) { result[qOff + c] = acc[c] / l; }
      }`,
  };
}

const TILE = 16;

/**
 * y = x·w (+ bias) + scale·(down·up) for x [N, K], w [K, O], down = x·A [N, r], up = B [r, O]: one pass over the
 * output, the x·w product tiled through workgroup memory, the rank-r LoRA term and the bias added in the epilogue.
 */
export function loraLinearProgram(N: number, O: number, hasBias: boolean): StudioProgram {
  return {
    variableNames: hasBias ? ['x', 'w', 'down', 'up', 'bias'] : ['x', 'w', 'down', 'up'],
    outputShape: [N, O],
    shaderKey: `studioLoraLinear_${hasBias}`,
    dispatchLayout: { x: [1], y: [0] },
    dispatch: [ceil(O, TILE), ceil(N, TILE), 1],
    workgroupSize: [TILE, TILE, 1],
    uniforms: 'scale : f32,',
    getUserCode: () => `
      var<workgroup> xs : array<array<f32, ${TILE}>, ${TILE}>;
      var<workgroup> ws : array<array<f32, ${TILE}>, ${TILE}>;
      fn main() {
        let n = uniforms.xShape[0];
        let kDim = uniforms.xShape[1];
        let o = uniforms.wShape[1];
        let r = uniforms.downShape[1];
        let col = i32(globalId.x);
        let row = i32(globalId.y);
        let lx = i32(localId.x);
        let ly = i32(localId.y);
        var sum = 0.0;
        for (var t = 0; t < kDim; t += ${TILE}) {
          let kx = t + lx;
          let ky = t + ly;
          xs[ly][lx] = select(0.0, x[row * kDim + kx], row < n && kx < kDim);
          ws[ly][lx] = select(0.0, w[ky * o + col], ky < kDim && col < o);
          workgroupBarrier();
          for (var kk = 0; kk < ${TILE}; kk++) { sum += xs[ly][kk] * ws[kk][lx]; }
          workgroupBarrier();
        }
        if (row < n && col < o) {
          var delta = 0.0;
          for (var j = 0; j < r; j++) { delta += down[row * r + j] * up[j * o + col]; }
          result[row * o + col] = sum${hasBias ? ' + bias[col]' : ''} + uniforms.scale * delta;
        }
      }`,
  };
}

/** Row max and sum of exp over one row of `logits` [N, L] by a 64-wide workgroup; tid, row, cols in scope. */
const rowStats = `
        var tMax = -3.402823e38;
        for (var c = tid; c < cols; c += 64) { tMax = max(tMax, logits[row * cols + c]); }
        buf[tid] = tMax;
        workgroupBarrier();
        for (var s = 32; s > 0; s = s >> 1u) {
          if (tid < s) { buf[tid] = max(buf[tid], buf[tid + s]); }
          workgroupBarrier();
        }
        let rowMax = buf[0];
        workgroupBarrier();
        var tSum = 0.0;
        for (var c = tid; c < cols; c += 64) { tSum += exp(logits[row * cols + c] - rowMax); }
        buf[tid] = tSum;
        workgroupBarrier();
        for (var s = 32; s > 0; s = s >> 1u) {
          if (tid < s) { buf[tid] = buf[tid] + buf[tid + s]; }
          workgroupBarrier();
        }
        let rowSum = buf[0];`;

/** Per-row cross-entropy logsumexp(logits[n]) - logits[n, target[n]] for logits [N, L], int32 targets [N]; 0 where target < 0. */
export function crossEntropyProgram(N: number): StudioProgram {
  return {
    variableNames: ['logits', 'targets'],
    outputShape: [N],
    shaderKey: 'studioCrossEntropy',
    ...flat(N * 64, 64),
    workgroupSize: [64, 1, 1],
    getUserCode: () => `
      var<workgroup> buf : array<f32, 64>;
      fn main(index : i32) {
        let row = index / 64;
        let tid = i32(localId.x);
        let cols = uniforms.logitsShape[1];
        ${rowStats}
        if (tid == 0 && row < uniforms.outShape) {
          let y = targets[row];
          result[row] = select(0.0, rowMax + log(rowSum) - logits[row * cols + max(y, 0)], y >= 0);
        }
      }`,
  };
}

/** Its gradient: (softmax(logits[n]) - onehot(target[n])) · dy[n] for logits [N, L]; 0 on rows with target < 0. */
export function crossEntropyGradProgram(N: number, L: number): StudioProgram {
  return {
    variableNames: ['logits', 'targets', 'dy'],
    outputShape: [N, L],
    shaderKey: 'studioCrossEntropyGrad',
    ...flat(N * 64, 64),
    workgroupSize: [64, 1, 1],
    getUserCode: () => `
      var<workgroup> buf : array<f32, 64>;
      fn main(index : i32) {
        let row = index / 64;
        let tid = i32(localId.x);
        let cols = uniforms.logitsShape[1];
        ${rowStats}
        if (row < uniforms.outShape[0]) {
          let y = targets[row];
          let g = select(0.0, dy[row], y >= 0);
          for (var c = tid; c < cols; c += 64) {
            let p = exp(logits[row * cols + c] - rowMax) / rowSum;
            result[row * cols + c] = (p - select(0.0, 1.0, c == y)) * g;
          }
        }
      }`,
  };
}
