"""PyTorch peer of the tfjs benchmarks (bench/main.ts): the SMALL_PRESET VQ-VAE of models/vqvae (same
layers, weights initialised differently) and the transformer prior of models/prior, timed on the same
shapes. Prints one JSON object on stdout. Usage: python3 bench/torch_vqvae.py '<json settings>'
with the settings {"threads" (torch's intra-op threads, default 2), "inputSize", "channels", "residualBlocks", "codebookSize", "codebookDim", "beta",
"dropout", "batch", "runs", "prior": {"vocabSize", "dModel", "layers", "heads", "feedForward", "batch",
"sequenceLength"}}.
With {"mode": "lsr", ...} it times the full LSR pipeline of bench/lsrTiming.ts on a volume's worth of
slices instead: {"slices", "restorations", "flagged", "prior": {... the CPU-sized prior}}."""
import json
import math
import resource
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(1)


class ResidualStack(nn.Module):
    """R blocks x + conv1x1(relu(conv3x3(relu(x)))), then a ReLU (models/vqvae/layers.ts)."""

    def __init__(self, channels, count):
        super().__init__()
        self.blocks = nn.ModuleList(
            nn.ModuleList([nn.Conv2d(channels, channels, 3, padding=1), nn.Conv2d(channels, channels, 1)]) for _ in range(count)
        )

    def forward(self, x):
        for conv3x3, conv1x1 in self.blocks:
            x = x + conv1x1(F.relu(conv3x3(F.relu(x))))
        return F.relu(x)


class VqVae(nn.Module):
    """models/vqvae/encoder.ts, quantizer.ts, decoder.ts, model.ts (without BatchNorm, L1 loss, codebook by loss)."""

    def __init__(self, c):
        super().__init__()
        channels, width, dim = c["channels"], c["channels"][-1], c["codebookDim"]
        ins = [1] + channels[:-1]
        self.down = nn.ModuleList(nn.Conv2d(i, o, 4, stride=2, padding=1) for i, o in zip(ins, channels))
        self.enc_conv = nn.Conv2d(width, width, 3, padding=1)
        self.enc_res = ResidualStack(width, c["residualBlocks"])
        self.to_latent = nn.Conv2d(width, dim, 1)
        k = c["codebookSize"]
        self.codebook = nn.Parameter(torch.empty(k, dim).uniform_(-1 / k, 1 / k))
        self.from_latent = nn.Conv2d(dim, width, 3, padding=1)
        self.dec_res = ResidualStack(width, c["residualBlocks"])
        widths = list(reversed(channels)) + [1]
        self.up = nn.ModuleList(nn.ConvTranspose2d(i, o, 4, stride=2, padding=1) for i, o in zip(widths[:-1], widths[1:]))
        self.dropout = c["dropout"]
        self.beta = c["beta"]

    def forward(self, x):
        h = x
        for conv in self.down:
            h = F.relu(conv(h))
        z_e = self.to_latent(self.enc_res(self.enc_conv(h)))  # [B, D, h, w]
        rows = z_e.permute(0, 2, 3, 1).reshape(-1, z_e.shape[1])
        with torch.no_grad():  # the code choice is not differentiated (quantizer.ts nearestCodeOp)
            distances = rows.pow(2).sum(1, keepdim=True) - 2 * rows @ self.codebook.t() + self.codebook.pow(2).sum(1)
            indices = distances.argmin(1)
        z_q_rows = F.one_hot(indices, self.codebook.shape[0]).float() @ self.codebook
        z_q = z_q_rows.reshape(z_e.shape[0], z_e.shape[2], z_e.shape[3], -1).permute(0, 3, 1, 2)
        h = self.dec_res(self.from_latent(z_e + (z_q - z_e).detach()))
        for i, up in enumerate(self.up):
            h = up(F.dropout(h, self.dropout, self.training))
            if i < len(self.up) - 1:
                h = F.relu(h)
        return torch.sigmoid(h), z_e, z_q

    def encode(self, x):
        """The code indices [B, h * w] (raster order) of a batch."""
        h = x
        for conv in self.down:
            h = F.relu(conv(h))
        z_e = self.to_latent(self.enc_res(self.enc_conv(h)))
        rows = z_e.permute(0, 2, 3, 1).reshape(-1, z_e.shape[1])
        distances = rows.pow(2).sum(1, keepdim=True) - 2 * rows @ self.codebook.t() + self.codebook.pow(2).sum(1)
        return distances.argmin(1).reshape(x.shape[0], -1)

    def decode(self, indices):
        """Images [B, 1, H, W] from code indices [B, h * w]."""
        side = int(math.isqrt(indices.shape[1]))
        z_q = self.codebook[indices].reshape(indices.shape[0], side, side, -1).permute(0, 3, 1, 2)
        h = self.dec_res(self.from_latent(z_q))
        for i, up in enumerate(self.up):
            h = up(h)
            if i < len(self.up) - 1:
                h = F.relu(h)
        return torch.sigmoid(h)

    def loss(self, x, out):
        reconstruction, z_e, z_q = out
        return (x - reconstruction).abs().mean() + (z_e.detach() - z_q).pow(2).mean() + self.beta * (z_e - z_q.detach()).pow(2).mean()


class Block(nn.Module):
    """Pre-LN transformer block of models/prior/transformer.ts: x + MHSA(LN(x)), x + MLP(LN(x))."""

    def __init__(self, d, heads, ff):
        super().__init__()
        self.heads = heads
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.mlp_in, self.mlp_out = nn.Linear(d, ff), nn.Linear(ff, d)

    def forward(self, x, mask, cache=None):
        """x [B, n, D]; `cache` the keys and values of earlier positions (attention.ts applyIncremental)."""
        b, n, d = x.shape
        split = lambda t: t.reshape(b, n, self.heads, d // self.heads).transpose(1, 2)
        h = self.norm1(x)
        q, k, v = split(self.q(h)), split(self.k(h)), split(self.v(h))
        if cache is not None:
            k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(d // self.heads) + mask
        attended = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, n, d)
        x = x + self.o(attended)
        return x + self.mlp_out(F.gelu(self.mlp_in(self.norm2(x)))), (k, v)


class Prior(nn.Module):
    def __init__(self, p):
        super().__init__()
        d = p["dModel"]
        self.tokens = nn.Parameter(torch.empty(p["vocabSize"] + 1, d).uniform_(-0.05, 0.05))
        self.positions = nn.Parameter(torch.empty(p["sequenceLength"], d).uniform_(-0.05, 0.05))
        self.blocks = nn.ModuleList(Block(d, p["heads"], p["feedForward"]) for _ in range(p["layers"]))
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, p["vocabSize"])

    def forward(self, ids, start=0, caches=None):
        """Logits of positions start..start+n-1 given ids [B, n]; with `caches` also the new key/value caches."""
        n = ids.shape[1]
        mask = torch.triu(torch.full((n, start + n), -1e9), diagonal=start + 1)  # causal, as attention.ts
        x = F.one_hot(ids, self.tokens.shape[0]).float() @ self.tokens + self.positions[start:start + n]
        new_caches = []
        for i, block in enumerate(self.blocks):
            x, cache = block(x, mask, caches[i] if caches else None)
            new_caches.append(cache)
        logits = self.head(self.norm(x))
        return (logits, new_caches) if caches is not None else logits


def median_ms(fn, runs, warmup=1):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[runs // 2]


def resample(prior, tokens, positions, chains, bos):
    """resample.ts causalSampler: `chains` copies of tokens [n] with `positions` redrawn in raster order, KV-cached."""
    sequences = tokens.repeat(chains, 1)
    caches, processed = [], 0
    for i in positions:
        inputs = torch.cat([torch.full((chains, 1), bos), sequences[:, :-1]], 1)[:, processed:i + 1]
        logits, caches = prior(inputs, processed, caches)
        sequences[:, i] = torch.multinomial(logits[:, -1].softmax(-1), 1)[:, 0]
        processed = i + 1
    return sequences


def lsr_volume(s):
    """Seconds for the LSR pipeline on `slices` slices: tokens, NLL, S restorations of the `flagged` most unlikely tokens per slice, scores."""
    model, prior = VqVae(s).eval(), Prior(s["prior"]).eval()
    chains, flagged, size = s["restorations"], s["flagged"], s["inputSize"]
    bos = s["prior"]["vocabSize"]
    x = torch.rand(s["slices"], 1, size, size)
    start = time.perf_counter()
    with torch.no_grad():
        for b in range(0, x.shape[0], 16):
            batch = x[b:b + 16]
            model(batch)  # the VQ-VAE maps' forward pass
            tokens = model.encode(batch)
            inputs = torch.cat([torch.full((tokens.shape[0], 1), bos), tokens[:, :-1]], 1)
            nll = -prior(inputs).log_softmax(-1).gather(2, tokens[:, :, None])[:, :, 0]
            for j in range(tokens.shape[0]):
                positions = sorted(nll[j].topk(flagged).indices.tolist())
                restorations = model.decode(resample(prior, tokens[j], positions, chains, bos))
                residuals = (restorations - batch[j]).abs()  # LSR: softmax weights over the restorations
                weights = (-residuals.mean((1, 2, 3))).softmax(0)
                (weights[:, None, None, None] * residuals).sum(0).sum().item()
    return time.perf_counter() - start


def main():
    s = json.loads(sys.argv[1])
    torch.set_num_threads(s.get("threads", 2))
    if s.get("mode") == "lsr":
        seconds = lsr_volume(s)
        print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "seconds": seconds}))
        return
    model = VqVae(s)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(s["batch"], 1, s["inputSize"], s["inputSize"])

    def train_step():
        model.train()
        optimizer.zero_grad()
        loss = model.loss(x, model(x))
        loss.backward()
        optimizer.step()
        loss.item()

    def inference():
        model.eval()
        with torch.no_grad():
            model(x)[0].sum().item()

    p = s["prior"]
    prior = Prior(p).eval()
    ids = torch.randint(0, p["vocabSize"], (p["batch"], p["sequenceLength"]))

    def prior_forward():
        with torch.no_grad():
            prior(ids).sum().item()

    result = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "trainStepMs": median_ms(train_step, s["runs"]),
        "inferenceMs": median_ms(inference, s["runs"]),
        "priorForwardMs": median_ms(prior_forward, s["runs"]),
        "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
