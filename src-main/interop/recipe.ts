/**
 * `continue-pretraining/` in an export: turn sequences into DNABERT k-mer text, then Hugging Face's `run_mlm.py`
 * (Transformers examples) under Accelerate, with the app's tokenizer settings. The result imports back into the app.
 */

export function recipeFiles(o: { k: number; maxTokens: number; head: 'mlm' | 'classification' }): [string, string][] {
  const kmerize = `#!/usr/bin/env python3
"""FASTA (or one sequence per line) -> one line of overlapping ${o.k}-mers per sequence, as DNA LM Studio tokenizes.

Sequences longer than ${o.maxTokens - 2} k-mers are cut into consecutive windows so nothing is lost.
Usage: python kmerize.py sequences.fasta > train.txt
"""
import sys

K = ${o.k}
MAX_KMERS = ${o.maxTokens - 2}  # ${o.maxTokens} tokens with [CLS] and [SEP]


def sequences(path):
    seq = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith(">"):
                if seq:
                    yield "".join(seq)
                seq = []
            elif line:
                seq.append(line)
    if seq:
        yield "".join(seq)


for s in sequences(sys.argv[1]):
    s = s.upper()
    kmers = [s[i:i + K] for i in range(len(s) - K + 1)]
    for start in range(0, len(kmers), MAX_KMERS):
        window = kmers[start:start + MAX_KMERS]
        if window:
            print(" ".join(window))
`;
  const run = `#!/usr/bin/env bash
# Continue masked-language-model pretraining of this model on a GPU cluster, then bring it back into DNA LM Studio.
# Needs: pip install "transformers>=4.30" accelerate datasets evaluate; run_mlm.py from
# https://github.com/huggingface/transformers/tree/main/examples/pytorch/language-modeling (same version as transformers).
set -euo pipefail
MODEL_DIR="$(cd "$(dirname "$0")/.." && pwd)"
TRAIN_FASTA="\${1:?usage: run_mlm.sh TRAIN.fasta [VALIDATION.fasta] [OUTPUT_DIR]}"
VALID_FASTA="\${2:-}"
OUT="\${3:-continued-model}"

python "$MODEL_DIR/continue-pretraining/kmerize.py" "$TRAIN_FASTA" > train.txt
VALID_ARGS=()
if [ -n "$VALID_FASTA" ]; then
  python "$MODEL_DIR/continue-pretraining/kmerize.py" "$VALID_FASTA" > validation.txt
  VALID_ARGS=(--validation_file validation.txt --do_eval)
fi

accelerate launch --config_file "$MODEL_DIR/continue-pretraining/accelerate_config.yaml" run_mlm.py \\
  --model_name_or_path "$MODEL_DIR" \\
  --tokenizer_name "$MODEL_DIR" \\
  --train_file train.txt "\${VALID_ARGS[@]}" \\
  --line_by_line \\
  --max_seq_length ${o.maxTokens} \\
  --pad_to_max_length \\
  --mlm_probability 0.15 \\
  --per_device_train_batch_size 32 \\
  --learning_rate 4e-4 --weight_decay 0.01 --warmup_ratio 0.05 \\
  --num_train_epochs 3 \\
  --bf16 \\
  --do_train \\
  --save_safetensors \\
  --output_dir "$OUT"

cp "$MODEL_DIR/vocab.txt" "$OUT/vocab.txt"
echo "Done. Import it back with: dnalm model import PROJECT $OUT --licence 'YOUR LICENCE' --name 'continued'"
`;
  const accelerate = `# accelerate launch --config_file accelerate_config.yaml ...; adjust num_processes to the GPUs of one node.
compute_environment: LOCAL_MACHINE
distributed_type: MULTI_GPU
mixed_precision: bf16
num_machines: 1
num_processes: 4
machine_rank: 0
main_training_function: main
use_cpu: false
`;
  const readme = `# Continue pretraining on a cluster

1. \`python kmerize.py sequences.fasta > train.txt\` writes one line of overlapping ${o.k}-mers per sequence (windows of
   at most ${o.maxTokens - 2} k-mers), the text form DNABERT's tokenizer reads: Transformers' \`BertTokenizer\` with this
   folder's \`vocab.txt\` and \`do_lower_case=False\` then gives exactly the app's token ids ([CLS] = 2, [SEP] = 3, [PAD] = 0,
   [MASK] = 4).
2. \`bash run_mlm.sh train.fasta [validation.fasta] [output-dir]\` runs Transformers' \`run_mlm.py\` under Accelerate
   (\`accelerate_config.yaml\`: one node, 4 GPUs, bf16 — edit for your cluster). Masking: 15 % of the k-mer tokens,
   80/10/10, as the app's pretraining does. DNABERT's original recipe masks runs of ${o.k} adjacent k-mers instead;
   run_mlm.py's single-token masking lets the model read a masked k-mer off its overlapping neighbours, so prefer long
   runs or a custom collator for serious pretraining.
3. Import the result back: \`dnalm model import PROJECT output-dir --licence "…" --name "continued"\`. The app checks every
   tensor's name and shape and reports what it did not use.${o.head === 'classification' ? '\n\nThis export is a classifier: run_mlm.py starts a new MLM head from random values (it says so); the encoder carries over.' : ''}

Note: \`config.json\` says \`hidden_act: gelu_new\` (the tanh approximation of GELU that the app computes). Keep it so
that the continued model stays numerically identical to the app's.
`;
  return [
    ['README.md', readme],
    ['kmerize.py', kmerize],
    ['run_mlm.sh', run],
    ['accelerate_config.yaml', accelerate],
  ];
}
