"""A plain PyTorch BERT with Hugging Face's module names, for the interop tests (transformers is not needed).

  make OUT --k K --seed S [--classes a,b,c] [--act gelu_new|gelu] [--dtype f32|f16|bf16]
      a random tiny BERT (BertForMaskedLM, or BertForSequenceClassification with --classes) written as a Hugging Face
      folder: config.json, vocab.txt, model.safetensors, pytorch_model.bin (zip format) and legacy/pytorch_model.bin
      (the pre-1.6 format), plus expected.json: inputs, last hidden states and logits.
  run DIR INPUTS.json
      loads DIR (config.json + model.safetensors, as an exported folder) by name, strictly, and prints the outputs.
  evil OUT
      a pytorch_model.bin whose pickle would call os.system; the app must refuse it without running it.
"""
import json, math, os, shutil, struct, sys
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DNABERT_CONFIG = os.path.normpath(os.path.join(HERE, '../../../../shared/data/dnabert_config'))


def act_fn(name):
    if name == 'gelu':
        return lambda x: F.gelu(x)
    if name in ('gelu_new', 'gelu_pytorch_tanh', 'gelu_fast'):
        return lambda x: F.gelu(x, approximate='tanh')
    raise SystemExit('unknown activation ' + name)


class Module(nn.Module):
    pass


def linear(i, o, bias=True):
    return nn.Linear(i, o, bias=bias)


class Bert(nn.Module):
    """BertModel's module tree: embeddings, encoder.layer.N.{attention.self/output, intermediate, output}, pooler."""

    def __init__(self, c, pooler):
        super().__init__()
        H, I = c['hidden_size'], c['intermediate_size']
        self.c = c
        self.act = act_fn(c['hidden_act'])
        self.embeddings = Module()
        self.embeddings.word_embeddings = nn.Embedding(c['vocab_size'], H)
        self.embeddings.position_embeddings = nn.Embedding(c['max_position_embeddings'], H)
        self.embeddings.token_type_embeddings = nn.Embedding(c['type_vocab_size'], H)
        self.embeddings.LayerNorm = nn.LayerNorm(H, eps=c.get('layer_norm_eps', 1e-12))
        self.encoder = Module()
        self.encoder.layer = nn.ModuleList()
        for _ in range(c['num_hidden_layers']):
            l = Module()
            l.attention = Module()
            l.attention.self = Module()
            l.attention.self.query, l.attention.self.key, l.attention.self.value = linear(H, H), linear(H, H), linear(H, H)
            l.attention.output = Module()
            l.attention.output.dense = linear(H, H)
            l.attention.output.LayerNorm = nn.LayerNorm(H, eps=c.get('layer_norm_eps', 1e-12))
            l.intermediate = Module()
            l.intermediate.dense = linear(H, I)
            l.output = Module()
            l.output.dense = linear(I, H)
            l.output.LayerNorm = nn.LayerNorm(H, eps=c.get('layer_norm_eps', 1e-12))
            self.encoder.layer.append(l)
        if pooler:
            self.pooler = Module()
            self.pooler.dense = linear(H, H)

    def forward(self, ids, mask, types):
        B, L = ids.shape
        H, nh = self.c['hidden_size'], self.c['num_attention_heads']
        dh = H // nh
        e = self.embeddings
        x = e.word_embeddings(ids) + e.position_embeddings(torch.arange(L))[None] + e.token_type_embeddings(types)
        x = e.LayerNorm(x)
        add = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        for l in self.encoder.layer:
            a = l.attention.self
            q = a.query(x).view(B, L, nh, dh).transpose(1, 2)
            k = a.key(x).view(B, L, nh, dh).transpose(1, 2)
            v = a.value(x).view(B, L, nh, dh).transpose(1, 2)
            p = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh) + add, -1)
            ctx = (p @ v).transpose(1, 2).reshape(B, L, H)
            x = l.attention.output.LayerNorm(x + l.attention.output.dense(ctx))
            x = l.output.LayerNorm(x + l.output.dense(self.act(l.intermediate.dense(x))))
        return x


class ForMaskedLM(nn.Module):
    def __init__(self, c):
        super().__init__()
        H, V = c['hidden_size'], c['vocab_size']
        self.bert = Bert(c, pooler=False)
        self.cls = Module()
        self.cls.predictions = Module()
        p = self.cls.predictions
        p.transform = Module()
        p.transform.dense = linear(H, H)
        p.transform.LayerNorm = nn.LayerNorm(H, eps=c.get('layer_norm_eps', 1e-12))
        p.decoder = linear(H, V, bias=False)
        p.bias = nn.Parameter(torch.zeros(V))
        p.decoder.bias = p.bias  # tied, as Hugging Face
        p.decoder.weight = self.bert.embeddings.word_embeddings.weight

    def forward(self, ids, mask, types):
        h = self.bert(ids, mask, types)
        p = self.cls.predictions
        t = p.transform.LayerNorm(self.bert.act(p.transform.dense(h)))
        return h, p.decoder(t)


class ForSequenceClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bert = Bert(c, pooler=True)
        self.classifier = linear(c['hidden_size'], len(c['id2label']))

    def forward(self, ids, mask, types):
        h = self.bert(ids, mask, types)
        pooled = torch.tanh(self.bert.pooler.dense(h[:, 0]))
        return h, self.classifier(pooled)


def build(c):
    return ForSequenceClassification(c) if c.get('id2label') else ForMaskedLM(c)


TIED = {'cls.predictions.decoder.weight', 'cls.predictions.decoder.bias'}


def write_safetensors(path, sd, dtype):
    names = {'f32': 'F32', 'f16': 'F16', 'bf16': 'BF16'}
    tdt = {'f32': torch.float32, 'f16': torch.float16, 'bf16': torch.bfloat16}[dtype]
    header, blobs, off = {'__metadata__': {'format': 'pt'}}, [], 0
    for k, v in sd.items():
        t = v.detach().to(tdt).contiguous()
        b = t.view(torch.int16).numpy().tobytes() if dtype != 'f32' else t.numpy().tobytes()
        header[k] = {'dtype': names[dtype], 'shape': list(t.shape), 'data_offsets': [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b' ' * ((8 - (8 + len(h)) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)) + h + b''.join(blobs))


def read_safetensors(path):
    with open(path, 'rb') as f:
        data = f.read()
    n = struct.unpack('<Q', data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for k, v in header.items():
        if k == '__metadata__':
            continue
        assert v['dtype'] == 'F32', v['dtype']
        a, b = v['data_offsets']
        out[k] = torch.frombuffer(bytearray(data[8 + n + a:8 + n + b]), dtype=torch.float32).reshape(v['shape'])
    return out


def make(out, k, seed, classes, act, dtype):
    torch.manual_seed(seed)
    os.makedirs(out, exist_ok=True)
    V = 4 ** k + 5
    c = {
        'architectures': ['BertForSequenceClassification' if classes else 'BertForMaskedLM'], 'model_type': 'bert',
        'attention_probs_dropout_prob': 0.1, 'hidden_act': act, 'hidden_dropout_prob': 0.1, 'hidden_size': 32,
        'initializer_range': 0.02, 'intermediate_size': 64, 'layer_norm_eps': 1e-12, 'max_position_embeddings': 40,
        'num_attention_heads': 2, 'num_hidden_layers': 2, 'type_vocab_size': 2, 'vocab_size': V, 'pad_token_id': 0,
    }
    if classes:
        c['id2label'] = {str(i): n for i, n in enumerate(classes)}
        c['label2id'] = {n: i for i, n in enumerate(classes)}
    model = build(c)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if 'LayerNorm.weight' in name:
                p.copy_(1 + 0.2 * torch.randn_like(p))
            elif p.dim() == 1:
                p.copy_(0.1 * torch.randn_like(p))
            else:
                p.copy_(0.15 * torch.randn_like(p))
        if dtype != 'f32':  # the reference computes with the weights as the file stores them
            tdt = {'f16': torch.float16, 'bf16': torch.bfloat16}[dtype]
            for p in model.parameters():
                p.copy_(p.to(tdt).float())
    model.eval()
    with open(os.path.join(out, 'config.json'), 'w') as f:
        json.dump(c, f, indent=2)
    shutil.copyfile(os.path.join(DNABERT_CONFIG, str(k), 'vocab.txt'), os.path.join(out, 'vocab.txt'))
    sd = model.state_dict()
    write_safetensors(os.path.join(out, 'model.safetensors'), {n: v for n, v in sd.items() if n not in TIED}, dtype)
    # pytorch_model.bin as older save_pretrained wrote it: tied copies (shared storage), the int64 position_ids
    # buffer, and one weight saved as a non-contiguous view.
    bin_sd = dict(sd)
    bin_sd['bert.embeddings.position_ids'] = torch.arange(c['max_position_embeddings'])[None]
    w = bin_sd['bert.encoder.layer.0.attention.self.query.weight']
    bin_sd['bert.encoder.layer.0.attention.self.query.weight'] = w.t().contiguous().t()
    if dtype != 'f32':
        tdt = {'f16': torch.float16, 'bf16': torch.bfloat16}[dtype]
        bin_sd = {n: (v.to(tdt) if v.is_floating_point() else v) for n, v in bin_sd.items()}
    torch.save(bin_sd, os.path.join(out, 'pytorch_model.bin'))
    legacy = os.path.join(out, 'legacy')
    os.makedirs(legacy, exist_ok=True)
    shutil.copy(os.path.join(out, 'config.json'), legacy)
    shutil.copyfile(os.path.join(out, 'vocab.txt'), os.path.join(legacy, 'vocab.txt'))
    torch.save(bin_sd, os.path.join(legacy, 'pytorch_model.bin'), _use_new_zipfile_serialization=False)

    g = torch.Generator().manual_seed(seed + 1)
    B, L = 2, 12
    ids = torch.randint(5, V, (B, L), generator=g)
    ids[:, 0] = 2
    ids[0, -1] = 3
    ids[1, L - 4] = 3
    ids[1, L - 3:] = 0
    mask = (ids != 0).long()
    types = torch.zeros_like(ids)
    inputs = {'input_ids': ids.tolist(), 'attention_mask': mask.tolist(), 'token_type_ids': types.tolist()}
    with open(os.path.join(out, 'inputs.json'), 'w') as f:
        json.dump(inputs, f)
    result = forward(model, inputs)
    with open(os.path.join(out, 'expected.json'), 'w') as f:
        json.dump({**inputs, **result}, f)


def forward(model, inputs):
    with torch.no_grad():
        h, logits = model(torch.tensor(inputs['input_ids']), torch.tensor(inputs['attention_mask']), torch.tensor(inputs['token_type_ids']))
    return {'hidden': h.reshape(-1).tolist(), 'logits': logits.reshape(-1).tolist(), 'logits_shape': list(logits.shape)}


def run(folder, inputs_file):
    with open(os.path.join(folder, 'config.json')) as f:
        c = json.load(f)
    assert c['architectures'][0] in ('BertForMaskedLM', 'BertForSequenceClassification'), c['architectures']
    model = build(c)
    sd = read_safetensors(os.path.join(folder, 'model.safetensors'))
    missing, unexpected = model.load_state_dict(sd, strict=False)
    if set(missing) - TIED or unexpected:
        raise SystemExit(f'names do not match: missing {missing}, unexpected {unexpected}')
    model.eval()
    with open(inputs_file) as f:
        inputs = json.load(f)
    vocab = open(os.path.join(folder, 'vocab.txt')).read().split('\n')
    print(json.dumps({**forward(model, inputs), 'missing': missing, 'vocab_size': len([v for v in vocab if v]), 'hidden_act': c['hidden_act']}))


class Evil:
    def __reduce__(self):
        return (os.system, ('echo pwned > ' + os.path.join(EVIL_DIR, 'pwned.txt'),))


EVIL_DIR = ''

if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'make':
        args = sys.argv[3:]
        opt = {args[i][2:]: args[i + 1] for i in range(0, len(args), 2)}
        classes = opt.get('classes', '').split(',') if opt.get('classes') else []
        make(sys.argv[2], int(opt.get('k', '3')), int(opt.get('seed', '1')), classes, opt.get('act', 'gelu_new'), opt.get('dtype', 'f32'))
    elif cmd == 'run':
        run(sys.argv[2], sys.argv[3])
    elif cmd == 'evil':
        EVIL_DIR = sys.argv[2]
        os.makedirs(EVIL_DIR, exist_ok=True)
        shutil.copyfile(os.path.join(DNABERT_CONFIG, '3', 'vocab.txt'), os.path.join(EVIL_DIR, 'vocab.txt'))
        json.dump({'model_type': 'bert', 'hidden_size': 4, 'num_attention_heads': 1, 'num_hidden_layers': 1, 'intermediate_size': 8, 'vocab_size': 69}, open(os.path.join(EVIL_DIR, 'config.json'), 'w'))
        torch.save({'bert.embeddings.word_embeddings.weight': torch.zeros(69, 4), 'x': Evil()}, os.path.join(EVIL_DIR, 'pytorch_model.bin'))
    else:
        raise SystemExit(__doc__)
