"""The studio's LoRA training step in plain PyTorch, for `npm run bench:train` (same shapes, LoRA r=8 alpha 16 on
query/value or q_proj/v_proj, frozen base, AdamW lr 1e-3 wd 0.01, clip 1). No transformers needed: the BERT
encoder (post-LN, erf GELU, pooler, classifier) and the Llama decoder (RMSNorm, RoPE, SwiGLU, tied LM head) are
written out here. Talks JSON lines on stdin/stdout: {"cmd": "setup", "shape": {...}} then {"cmd": "steps", "n": k}.
"""
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class LoraLinear(nn.Module):
    def __init__(self, inf, outf, bias, lora):
        super().__init__()
        self.base = nn.Linear(inf, outf, bias=bias)
        self.base.requires_grad_(False)
        self.lora = lora
        if lora:
            self.a = nn.Parameter(torch.empty(8, inf))
            nn.init.kaiming_uniform_(self.a, a=math.sqrt(5))
            self.b = nn.Parameter(torch.zeros(outf, 8))
            self.scale = 16 / 8

    def forward(self, x):
        y = self.base(x)
        return y + (x @ self.a.t() @ self.b.t()) * self.scale if self.lora else y


def attention(q, k, v, mask, B, T, H, D):
    q, k, v = (t.view(B, T, H, D).transpose(1, 2) for t in (q, k, v))
    probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(D) + mask, dim=-1)
    return (probs @ v).transpose(1, 2).reshape(B, T, H * D)


class Bert(nn.Module):
    def __init__(self, V, C, L, H, I, T):
        super().__init__()
        self.C, self.H = C, H
        self.words, self.pos, self.types = nn.Embedding(V, C), nn.Embedding(max(512, T), C), nn.Embedding(2, C)
        self.ln = nn.LayerNorm(C, eps=1e-12)
        self.layers = nn.ModuleList()
        for _ in range(L):
            m = nn.Module()
            m.q, m.k, m.v, m.o = LoraLinear(C, C, True, True), LoraLinear(C, C, True, False), LoraLinear(C, C, True, True), LoraLinear(C, C, True, False)
            m.ln1, m.ln2 = nn.LayerNorm(C, eps=1e-12), nn.LayerNorm(C, eps=1e-12)
            m.i, m.out = LoraLinear(C, I, True, False), LoraLinear(I, C, True, False)
            self.layers.append(m)
        self.pooler = LoraLinear(C, C, True, False)
        self.requires_grad_(False)
        for mod in self.modules():
            if isinstance(mod, LoraLinear) and mod.lora:
                mod.a.requires_grad_(True)
                mod.b.requires_grad_(True)
        self.classifier = nn.Linear(C, 2)  # trainable head (PEFT modules_to_save)

    def forward(self, ids, mask):
        B, T = ids.shape
        H, D = self.H, self.C // self.H
        x = self.ln(self.words(ids) + self.types(torch.zeros_like(ids)) + self.pos.weight[:T])
        add = (1.0 - mask[:, None, None, :]) * torch.finfo(torch.float32).min
        for m in self.layers:
            h = m.ln1(m.o(attention(m.q(x), m.k(x), m.v(x), add, B, T, H, D)) + x)
            x = m.ln2(m.out(F.gelu(m.i(h))) + h)
        return self.classifier(torch.tanh(self.pooler.base(x[:, 0])))


class RmsNorm(nn.Module):
    def __init__(self, C):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(C))

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6))


def rope(x, cos, sin):
    half = x.shape[-1] // 2
    return x * cos + torch.cat((-x[..., half:], x[..., :half]), -1) * sin


class Llama(nn.Module):
    def __init__(self, V, C, L, H, I, T):
        super().__init__()
        self.C, self.H = C, H
        self.embed = nn.Embedding(V, C)
        self.layers = nn.ModuleList()
        for _ in range(L):
            m = nn.Module()
            m.n1, m.n2 = RmsNorm(C), RmsNorm(C)
            m.q, m.k, m.v, m.o = (LoraLinear(C, C, False, lora) for lora in (True, False, True, False))
            m.gate, m.up, m.down = LoraLinear(C, I, False, False), LoraLinear(C, I, False, False), LoraLinear(I, C, False, False)
            self.layers.append(m)
        self.norm = RmsNorm(C)
        self.requires_grad_(False)
        for mod in self.modules():
            if isinstance(mod, LoraLinear) and mod.lora:
                mod.a.requires_grad_(True)
                mod.b.requires_grad_(True)
        D = C // H
        inv = 1.0 / (10000 ** (torch.arange(0, D, 2).float() / D))
        freqs = torch.arange(T).float()[:, None] * inv[None, :]
        emb = torch.cat((freqs, freqs), -1)
        self.cos, self.sin = emb.cos(), emb.sin()

    def forward(self, ids, mask):
        B, T = ids.shape
        H, D = self.H, self.C // self.H
        causal = torch.tril(torch.ones(T, T, device=ids.device))[None, None] * mask[:, None, None, :]
        add = (1.0 - causal) * torch.finfo(torch.float32).min
        x = self.embed(ids)
        for m in self.layers:
            h = m.n1(x)
            q = rope(m.q(h).view(B, T, H, D).transpose(1, 2), self.cos, self.sin)
            k = rope(m.k(h).view(B, T, H, D).transpose(1, 2), self.cos, self.sin)
            v = m.v(h).view(B, T, H, D).transpose(1, 2)
            probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(D) + add, dim=-1)
            x = x + m.o((probs @ v).transpose(1, 2).reshape(B, T, H * D))
            h2 = m.n2(x)
            x = x + m.down(F.silu(m.gate(h2)) * m.up(h2))
        return self.norm(x) @ self.embed.weight.t()


def setup(shape):
    torch.manual_seed(1)
    d = shape["dims"]
    B, T, V = shape["batchSize"], shape["seqLen"], shape["vocabSize"]
    llama = shape["family"] == "llama"
    model = (Llama if llama else Bert)(V, d["hidden"], d["layers"], d["heads"], d["intermediate"], T)
    device = os.environ.get("BENCH_DEVICE", "cpu")  # cuda on a GPU machine (device-check.sh)
    model = model.to(device)
    if llama:
        model.cos, model.sin = model.cos.to(device), model.sin.to(device)
    ids = torch.tensor([[1 + ((b * T + t) * 7919) % (V - 1) for t in range(T)] for b in range(B)], device=device)
    mask = torch.ones(B, T, device=device)
    labels = torch.arange(B, device=device) % 2
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-3, weight_decay=0.01)

    def step():
        opt.zero_grad(set_to_none=True)
        out = model(ids, mask)
        if llama:
            loss = F.cross_entropy(out[:, :-1].reshape(-1, V), ids[:, 1:].reshape(-1))
        else:
            loss = F.cross_entropy(out, labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        return loss.item()  # waits for the device, so the step time is complete

    return step


def main():
    step = None
    for line in sys.stdin:
        msg = json.loads(line)
        if msg["cmd"] == "setup":
            step = setup(msg["shape"])
            step()  # warm-up
            reply = {"threads": torch.get_num_threads(), "torch": torch.__version__}
        elif msg["cmd"] == "steps":
            times = []
            for _ in range(msg["n"]):
                t0 = time.perf_counter()
                step()
                times.append((time.perf_counter() - t0) * 1000)
            reply = {"times": times}
        else:
            reply = {"error": "unknown command"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
