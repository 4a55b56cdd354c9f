#!/usr/bin/python3
"""Scan peer for test/bench/scan.bench.ts: the app's saved model (model.json + weights.f32, PyTorch / Hugging Face
parameter names) loaded into PyTorch modules of the same architecture as ../shared/peers/cnn_torch.py (genomic_benchmarks
CNN) and bert_torch.py (BERT, GELU tanh, post-LN), with the classification head the app trains, run in eval mode under
torch.no_grad() over every window of a region (forward strand), in batches.

/usr/bin/python3 scan_torch.py --model DIR --fasta FILE.fa[.gz] --window W --stride S --batch B [--threads T]
  [--first I] [--limit N] [--probe-every M]
Windows I .. I + N - 1 (all by default). Prints one JSON line: windows, seconds (encoding + forward, after one warm-up batch), windows/s, bp/s, peak RSS and the
positive-class probability of every M-th window (to check that it computes what the app computes).
"""
import argparse, gzip, json, math, resource, time
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument('--model', required=True); ap.add_argument('--fasta', required=True)
ap.add_argument('--window', type=int, required=True); ap.add_argument('--stride', type=int, required=True)
ap.add_argument('--batch', type=int, default=64); ap.add_argument('--threads', type=int, default=1)
ap.add_argument('--limit', type=int, default=0); ap.add_argument('--first', type=int, default=0)
ap.add_argument('--probe-every', type=int, default=1000)
a = ap.parse_args()
torch.set_num_threads(a.threads)


def module(**children):
    m = nn.Module()
    for name, child in children.items():
        m.add_module(name, child)
    return m


class Cnn(nn.Module):
    """genomic_benchmarks CNN: embedding (or one-hot) -> 3 x [Conv1d, BatchNorm1d, ReLU, MaxPool1d(2)] -> dense."""

    def __init__(s, c, L, outputs):
        super().__init__()
        s.onehot = c.get('input') == 'onehot'
        V, E, C, K = c.get('vocabSize', 6), c.get('embeddingDim', 100), c.get('filters', 16), c.get('kernelSize', 8)
        if not s.onehot:
            s.emb = nn.Embedding(V, E)
        layers, cin, n = [], 4 if s.onehot else E, L
        for _ in range(c.get('convLayers', 3)):
            layers += [nn.Conv1d(cin, C, K), nn.BatchNorm1d(C, eps=c.get('batchNormEps', 1e-5)), nn.ReLU(), nn.MaxPool1d(2)]
            cin, n = C, (n - K + 1) // 2
        s.cnn = nn.Sequential(*layers, nn.Flatten())
        D = c.get('denseUnits', 512)
        s.dense = nn.Sequential(nn.Linear(n * C, D), nn.ReLU(), nn.Dropout(0.3), nn.Linear(D, outputs))

    def forward(s, tok, mask):
        x = F.one_hot(tok, 6)[..., :4].float() if s.onehot else s.emb(tok)
        return s.dense(s.cnn(x.transpose(1, 2)))


class BertClassifier(nn.Module):
    """BertForSequenceClassification's names and maths: embeddings (+ token type 0), post-LN layers, [CLS] pooler + tanh
    or masked mean, classifier."""

    def __init__(s, c, head):
        super().__init__()
        H, nh, Fd, eps = c['hidden'], c['heads'], c['intermediate'], c['layerNormEps']
        s.nh, s.dh, s.pooling = nh, H // nh, head['pooling']
        ln = lambda: nn.LayerNorm(H, eps=eps)
        layer = lambda: module(
            attention=module(self=module(query=nn.Linear(H, H), key=nn.Linear(H, H), value=nn.Linear(H, H)),
                             output=module(dense=nn.Linear(H, H), LayerNorm=ln())),
            intermediate=module(dense=nn.Linear(H, Fd)),
            output=module(dense=nn.Linear(Fd, H), LayerNorm=ln()))
        bert = module(
            embeddings=module(word_embeddings=nn.Embedding(c['vocabSize'], H), position_embeddings=nn.Embedding(c['maxPositions'], H),
                              token_type_embeddings=nn.Embedding(c['typeVocabSize'], H), LayerNorm=ln()),
            encoder=module(layer=nn.ModuleList([layer() for _ in range(c['layers'])])))
        if s.pooling == 'cls':
            bert.add_module('pooler', module(dense=nn.Linear(H, H)))
        s.bert = bert
        s.classifier = nn.Linear(H, head['numClasses'])

    def forward(s, ids, mask):
        e, (B, L) = s.bert.embeddings, ids.shape
        x = e.LayerNorm(e.word_embeddings(ids) + e.position_embeddings.weight[:L] + e.token_type_embeddings.weight[0])
        mask_add = ((1.0 - mask.float()) * -10000.0)[:, None, None, :]
        sp = lambda t: t.view(B, L, s.nh, s.dh).transpose(1, 2)
        for l in s.bert.encoder.layer:
            at = l.attention.self
            q, k, v = sp(at.query(x)), sp(at.key(x)), sp(at.value(x))
            p = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(s.dh) + mask_add, -1)
            ctx = (p @ v).transpose(1, 2).reshape(B, L, -1)
            x = l.attention.output.LayerNorm(x + l.attention.output.dense(ctx))
            x = l.output.LayerNorm(x + l.output.dense(F.gelu(l.intermediate.dense(x), approximate='tanh')))
        if s.pooling == 'cls':
            pooled = torch.tanh(s.bert.pooler.dense(x[:, 0]))
        else:
            m = mask.float()[:, :, None]
            pooled = (x * m).sum(1) / m.sum(1).clamp(min=1)
        return s.classifier(pooled)


BERT_MINI = dict(vocabSize=4101, hidden=256, layers=4, heads=4, intermediate=1024, maxPositions=512, typeVocabSize=2, layerNormEps=1e-12)
BERT_BASE = dict(BERT_MINI, hidden=768, layers=12, heads=12, intermediate=3072)

cfg = json.load(open(f'{a.model}/model.json'))
flat = np.fromfile(f'{a.model}/weights.f32', dtype='<f4')
spec = cfg['spec']
if spec['kind'] == 'cnn':
    model = Cnn(spec.get('config', {}), cfg['input']['length'], cfg['outputs'])
else:
    model = BertClassifier({**(BERT_BASE if spec.get('preset') == 'base' else BERT_MINI), **spec.get('config', {})}, spec['head'])
state = {e['name']: torch.from_numpy(flat[e['offset']:e['offset'] + e['size']].reshape(e['shape']).copy()) for e in cfg['layout']}
missing, unexpected = model.load_state_dict(state, strict=False)
assert not unexpected and all(m.endswith('num_batches_tracked') for m in missing), (missing, unexpected)
model.eval()

raw = (gzip.open if a.fasta.endswith('.gz') else open)(a.fasta, 'rb').read()
seq = np.frombuffer(b''.join(l.strip() for l in raw.split(b'\n') if not l.startswith(b'>')), dtype=np.uint8)
upper = seq & 0xDF  # ASCII upper case
W, S = a.window, a.stride
n = (len(seq) - W) // S + 1 if len(seq) >= W else 0
first = min(a.first, n)
n = min(n, first + a.limit) if a.limit else n


def cnn_ids():
    # A C G T = 0..3, anything else 4 (the app's CNN_BASE_IDS)
    table = np.full(256, 4, dtype=np.int64)
    for i, b in enumerate(b'ACGT'):
        table[b] = i
    return table[upper]


def kmer_ids(k):
    # DNABERT ids: bases in A, T, C, G order as base-4 digits, + 5 special tokens; [UNK] = 1 when a k-mer holds N.
    code = np.full(256, -1, dtype=np.int64)
    for i, b in enumerate(b'ATCG'):
        code[b] = i
    c = code[upper]
    m = len(c) - k + 1
    value = np.zeros(m, dtype=np.int64)
    bad = np.zeros(m, dtype=bool)
    for j in range(k):
        part = c[j:j + m]
        value = value * 4 + np.maximum(part, 0)
        bad |= part < 0
    return np.where(bad, 1, value + 5)


def batches():
    """(ids, mask) for each batch of windows, encoded as the app encodes them (CNN: bases; BERT: [CLS] k-mers [SEP])."""
    if spec['kind'] == 'cnn':
        ids = cnn_ids()
        for b in range(first, n, a.batch):
            starts = np.arange(b, min(n, b + a.batch)) * S
            t = torch.from_numpy(ids[starts[:, None] + np.arange(W)[None, :]])
            yield t, None
    else:
        k, T = cfg['k'], cfg['maxTokens']
        kmers = T - 2  # every window fills the model: W = T - 2 + k - 1
        assert W - k + 1 >= kmers, 'the window is shorter than the model input'
        ids = kmer_ids(k)
        for b in range(first, n, a.batch):
            starts = np.arange(b, min(n, b + a.batch)) * S
            body = ids[starts[:, None] + np.arange(kmers)[None, :]]
            rows = len(starts)
            t = np.concatenate([np.full((rows, 1), 2), body, np.full((rows, 1), 3)], axis=1)
            yield torch.from_numpy(t), torch.ones(rows, T, dtype=torch.int64)


def positive(logits):
    return torch.sigmoid(logits[:, 0]) if logits.shape[1] == 1 else torch.softmax(logits, 1)[:, -1]


with torch.no_grad():
    it = batches()
    first_ids, first_mask = next(it)
    model(first_ids, first_mask)  # warm-up, not timed
    probes, done = [], 0
    t0 = time.perf_counter()
    for ids, mask in batches():
        p = positive(model(ids, mask)).numpy()
        for i in range((-done) % a.probe_every, len(p), a.probe_every):
            probes.append(float(p[i]))
        done += len(p)
    seconds = time.perf_counter() - t0

print(json.dumps(dict(engine='pytorch-' + torch.__version__, threads=torch.get_num_threads(), model=spec['kind'], windows=done,
                      window=W, stride=S, batch=a.batch, seconds=round(seconds, 3), windows_per_s=round(done / seconds, 1),
                      bp_per_s=round(done * S / seconds, 1), cpu_s=round(sum(resource.getrusage(resource.RUSAGE_SELF)[:2]), 2), peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                      probes=probes)))
