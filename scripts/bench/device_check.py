"""Part (a) of scripts/device-check.sh: every staged fixture folder (model/, adapter/ exported by the studio,
inputs.json, studio_logits.json) loaded with real transformers + peft; the logits must match the studio's within
the fixture tolerance (|got - want| <= 1e-4 + 1e-4 |want|, real tokens only for LMs), on CPU and on CUDA when present.
Exit 0 when all pass, 1 when any fails, 2 (SKIP) when transformers or peft is missing. Usage: device_check.py <dir>
"""
import json
import os
import sys

import torch

try:
    import peft  # noqa: F401
    import transformers
    from peft import PeftModel
except ImportError as e:  # the bench machine here has torch only
    print(f"SKIP (a): {e.name} is not installed (needs transformers and peft); nothing was checked")
    sys.exit(2)

ATOL = RTOL = 1e-4


def check(folder, device):
    want = json.load(open(os.path.join(folder, "studio_logits.json")))
    inputs = json.load(open(os.path.join(folder, "inputs.json")))
    cls = transformers.AutoModelForCausalLM if want["task"] == "CAUSAL_LM" else transformers.AutoModelForSequenceClassification
    base = cls.from_pretrained(os.path.join(folder, "model"), attn_implementation="eager")
    model = PeftModel.from_pretrained(base, os.path.join(folder, "adapter")).to(device).eval()
    batch = {k: torch.tensor(v, device=device) for k, v in inputs.items() if v is not None}
    with torch.no_grad():
        logits = model(**batch).logits.float().cpu()
    if list(logits.shape) != want["shape"]:
        return f"shape {list(logits.shape)} vs {want['shape']}", float("inf")
    got = logits.reshape(-1)
    ref = torch.tensor(want["data"]).reshape(-1)
    err = (got - ref).abs()
    tol = ATOL + RTOL * ref.abs()
    if want["task"] == "CAUSAL_LM":  # padded positions are not compared (as the fixture tests)
        real = torch.tensor(inputs["attention_mask"]).reshape(-1).bool()
        V = want["shape"][-1]
        keep = real.repeat_interleave(V)
        err, tol = err[keep], tol[keep]
    return f"max abs {err.max().item():.2e}", (err / tol).max().item()


def main():
    root = sys.argv[1]
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    torch.backends.cuda.matmul.allow_tf32 = False  # TF32 would be outside the fixture tolerance
    print(f"transformers {transformers.__version__}, peft {peft.__version__}, torch {torch.__version__}, devices {devices}")
    failed = 0
    for name in sorted(os.listdir(root)):
        for device in devices:
            try:
                what, worst = check(os.path.join(root, name), device)
            except Exception as e:  # a folder PEFT cannot load is a failure with its reason
                what, worst = f"error: {e}", float("inf")
            ok = worst <= 1
            failed += not ok
            print(f"{'PASS' if ok else 'FAIL'} (a) {name:12s} {device:4s} {what}, worst/tol {worst:.3f}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
