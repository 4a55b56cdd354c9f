/**
 * DNABERT-compatible k-mer tokenizer: DNA -> token ids (+ attention mask and token types) for the training engine,
 * and back. Ids are those of `vocab.ts` (DNABERT's `vocab.txt`).
 *
 * - A k-mer that holds anything but A/C/G/T (N, IUPAC codes, gaps) becomes [UNK]; lower-case bases are accepted.
 * - Overlapping tokenization (stride 1, DNABERT's) gives `length - k + 1` k-mers; non-overlapping (stride k) gives
 *   `floor(length / k)` and ignores the trailing bases that do not fill a k-mer.
 * - `maxLength` counts every token, the special ones included (DNABERT: 512 tokens = [CLS] + 510 6-mers + [SEP] =
 *   515 bases).
 */
import {
  CLS_ID,
  NUM_SPECIAL_TOKENS,
  PAD_ID,
  SEP_ID,
  SPECIAL_TOKENS,
  UNK_ID,
  MASK_ID,
  idToToken,
  isKmerSize,
  vocabBaseCode,
  type KmerSize,
} from './vocab';

export type Truncation = 'right' | 'left' | 'error';
export type Padding = 'max' | 'none';

export interface TokenizeOptions {
  readonly k: KmerSize;
  /** Stride 1 (true, the default, as DNABERT) or stride k (false). */
  readonly overlapping?: boolean;
  /** Most tokens in the result, special tokens included. No limit when absent. */
  readonly maxLength?: number;
  /**
   * What to do when the k-mers do not fit in `maxLength`: keep the first ones ('right', the default), keep the last
   * ones ('left'), or throw a RangeError ('error'). For a pair the longer segment loses a token first (on a tie the
   * second), as Hugging Face's `longest_first`.
   */
  readonly truncation?: Truncation;
  /** 'max' pads with [PAD] up to `maxLength` (the default when `maxLength` is given); 'none' does not pad. */
  readonly padding?: Padding;
  /** Add [CLS] in front and [SEP] at the end (default true). Pairs always get them. */
  readonly addSpecial?: boolean;
}

export type PairTokenizeOptions = Omit<TokenizeOptions, 'addSpecial'>;

/** Where one input sequence's k-mers ended up. */
export interface SegmentSpan {
  /** Index in `ids` of the segment's first k-mer token. */
  readonly tokenStart: number;
  /** Number of k-mer tokens kept. */
  readonly tokenCount: number;
  /** Base index (0-based, in the input sequence) where the first kept k-mer starts; token i covers bases from
   * `firstBase + i * stride`. */
  readonly firstBase: number;
  /** k-mers dropped by truncation. */
  readonly truncated: number;
}

export interface Encoding {
  readonly ids: Int32Array;
  /** 1 for real tokens, 0 for [PAD]. */
  readonly attentionMask: Int32Array;
  /** Segment (token type) ids: 0 for the first segment, 1 for the second of a pair; 0 on padding. */
  readonly tokenTypeIds: Int32Array;
  /** Tokens that are not padding. */
  readonly length: number;
  /** One span per input sequence (two for a pair). */
  readonly segments: readonly SegmentSpan[];
}

export interface BatchTokenizeOptions extends Omit<TokenizeOptions, 'padding' | 'maxLength'> {
  /** Row length: every row is truncated to and padded up to it. */
  readonly maxLength: number;
}

export type PairBatchTokenizeOptions = Omit<BatchTokenizeOptions, 'addSpecial'>;

/** Row-major [batchSize, seqLength] arrays, ready for `tf.tensor2d(ids, [batchSize, seqLength], 'int32')`. */
export interface BatchEncoding {
  readonly ids: Int32Array;
  readonly attentionMask: Int32Array;
  readonly tokenTypeIds: Int32Array;
  readonly batchSize: number;
  readonly seqLength: number;
  /** Non-padding tokens per row. */
  readonly lengths: Int32Array;
  /** k-mers dropped by truncation per row (both segments of a pair together). */
  readonly truncated: Int32Array;
}

function checkOptions(options: { readonly k: number; readonly maxLength?: number }, minLength: number): void {
  if (!isKmerSize(options.k)) throw new RangeError(`k-mer size must be 3, 4, 5 or 6; got ${String(options.k)}`);
  const { maxLength } = options;
  if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < minLength)) {
    throw new RangeError(`maxLength must be an integer of at least ${minLength}; got ${String(maxLength)}`);
  }
}

const strideOf = (k: number, overlapping: boolean | undefined): number => (overlapping === false ? k : 1);

/** Number of k-mers a sequence of `length` bases gives. */
export function kmerCount(length: number, k: number, overlapping = true): number {
  const stride = strideOf(k, overlapping);
  return length < k ? 0 : Math.floor((length - k) / stride) + 1;
}

/** Longest sequence (in bases) whose k-mers fit in `maxLength` tokens without truncation. */
export function maxBasesFor(maxLength: number, options: Pick<TokenizeOptions, 'k' | 'overlapping' | 'addSpecial'>): number {
  const tokens = maxLength - (options.addSpecial === false ? 0 : 2);
  if (tokens <= 0) return options.k - 1;
  return options.overlapping === false ? tokens * options.k + options.k - 1 : tokens + options.k - 1;
}

/**
 * Writes the ids of k-mers `first .. first + count - 1` of `seq` into `out` from `at`. Overlapping k-mers are read
 * with a rolling base-4 value; `valid` counts the A/C/G/T bases in a row so a window holding anything else is [UNK].
 */
function writeKmerIds(seq: string, k: number, stride: number, first: number, count: number, out: Int32Array, at: number): void {
  if (count <= 0) return;
  const start = first * stride;
  if (stride === 1) {
    const mask = (1 << (2 * k)) - 1;
    let value = 0;
    let valid = 0;
    let written = 0;
    for (let p = start; written < count; p++) {
      const code = vocabBaseCode(seq.charCodeAt(p));
      if (code < 0) valid = 0;
      else {
        value = ((value << 2) | code) & mask;
        valid++;
      }
      if (p - start >= k - 1) out[at + written++] = valid >= k ? value + NUM_SPECIAL_TOKENS : UNK_ID;
    }
    return;
  }
  for (let j = 0; j < count; j++) {
    const base = start + j * stride;
    let value = 0;
    let id = -1;
    for (let i = 0; i < k; i++) {
      const code = vocabBaseCode(seq.charCodeAt(base + i));
      if (code < 0) {
        id = UNK_ID;
        break;
      }
      value = (value << 2) | code;
    }
    out[at + j] = id === UNK_ID ? UNK_ID : value + NUM_SPECIAL_TOKENS;
  }
}

interface Plan {
  /** k-mers available, per segment. */
  readonly total: readonly number[];
  /** k-mers kept, per segment. */
  readonly keep: readonly number[];
}

/** How many k-mers of each segment fit in `budget` tokens (Infinity: no limit). */
function planTruncation(total: readonly number[], budget: number, truncation: Truncation): Plan {
  const sum = total.reduce((a, b) => a + b, 0);
  if (sum <= budget) return { total, keep: total };
  if (truncation === 'error') {
    throw new RangeError(`the sequence gives ${sum} k-mers but only ${budget} fit in maxLength (truncation is 'error')`);
  }
  const keep = [...total];
  if (keep.length === 1) keep[0] = budget;
  else {
    // longest_first: the longer segment loses a token first, the second on a tie.
    let a = keep[0] ?? 0;
    let b = keep[1] ?? 0;
    let excess = a + b - budget;
    const diff = Math.min(excess, Math.abs(a - b));
    if (a > b) a -= diff;
    else b -= diff;
    excess -= diff;
    b -= Math.ceil(excess / 2);
    a -= Math.floor(excess / 2);
    keep[0] = a;
    keep[1] = b;
  }
  return { total, keep };
}

/**
 * Encodes one or two segments into the arrays from offset `at`, and returns the non-padding length and the spans.
 * `rowLength` is the padded length (or the exact length when not padding).
 */
function encodeInto(
  seqs: readonly string[],
  k: number,
  stride: number,
  addSpecial: boolean,
  plan: Plan,
  truncation: Truncation,
  rowLength: number,
  ids: Int32Array,
  mask: Int32Array,
  types: Int32Array,
  at: number,
): { length: number; segments: SegmentSpan[] } {
  let pos = at;
  if (addSpecial) ids[pos++] = CLS_ID;
  const segments: SegmentSpan[] = [];
  for (let s = 0; s < seqs.length; s++) {
    const total = plan.total[s] ?? 0;
    const keep = plan.keep[s] ?? 0;
    const first = truncation === 'left' ? total - keep : 0;
    const tokenStart = pos - at;
    writeKmerIds(seqs[s] ?? '', k, stride, first, keep, ids, pos);
    pos += keep;
    if (addSpecial) ids[pos++] = SEP_ID;
    if (s > 0) types.fill(1, at + tokenStart, pos);
    segments.push({ tokenStart, tokenCount: keep, firstBase: first * stride, truncated: total - keep });
  }
  const length = pos - at;
  mask.fill(1, at, pos);
  ids.fill(PAD_ID, pos, at + rowLength);
  return { length, segments };
}

function encode(seqs: readonly string[], options: TokenizeOptions, addSpecial: boolean): Encoding {
  const specials = addSpecial ? seqs.length + 1 : 0;
  checkOptions(options, specials);
  const { k, maxLength } = options;
  const truncation = options.truncation ?? 'right';
  const padding = options.padding ?? (maxLength === undefined ? 'none' : 'max');
  if (padding === 'max' && maxLength === undefined) throw new RangeError("padding 'max' needs maxLength");
  const stride = strideOf(k, options.overlapping);
  const total = seqs.map((s) => kmerCount(s.length, k, options.overlapping));
  const plan = planTruncation(total, maxLength === undefined ? Infinity : maxLength - specials, truncation);
  const length = plan.keep.reduce((a, b) => a + b, specials);
  const rowLength = padding === 'max' && maxLength !== undefined ? maxLength : length;
  const ids = new Int32Array(rowLength);
  const attentionMask = new Int32Array(rowLength);
  const tokenTypeIds = new Int32Array(rowLength);
  const { segments } = encodeInto(seqs, k, stride, addSpecial, plan, truncation, rowLength, ids, attentionMask, tokenTypeIds, 0);
  return { ids, attentionMask, tokenTypeIds, length, segments };
}

/** Tokenizes one sequence: `[CLS] k-mer ... [SEP] [PAD] ...`. */
export function tokenize(sequence: string, options: TokenizeOptions): Encoding {
  return encode([sequence], options, options.addSpecial !== false);
}

/**
 * Tokenizes a pair for next-segment prediction: `[CLS] A [SEP] B [SEP]`, token type 0 up to and including the first
 * [SEP], 1 for B and the last [SEP].
 */
export function tokenizePair(first: string, second: string, options: PairTokenizeOptions): Encoding {
  return encode([first, second], options, true);
}

function encodeBatch(rows: readonly (readonly string[])[], options: BatchTokenizeOptions, addSpecial: boolean): BatchEncoding {
  const width = rows[0]?.length ?? 1;
  const specials = addSpecial ? width + 1 : 0;
  checkOptions(options, specials);
  const { k, maxLength } = options;
  const truncation = options.truncation ?? 'right';
  const stride = strideOf(k, options.overlapping);
  const batchSize = rows.length;
  const ids = new Int32Array(batchSize * maxLength);
  const attentionMask = new Int32Array(batchSize * maxLength);
  const tokenTypeIds = new Int32Array(batchSize * maxLength);
  const lengths = new Int32Array(batchSize);
  const truncated = new Int32Array(batchSize);
  for (let r = 0; r < batchSize; r++) {
    const seqs = rows[r] ?? [];
    const total = seqs.map((s) => kmerCount(s.length, k, options.overlapping));
    let plan: Plan;
    try {
      plan = planTruncation(total, maxLength - specials, truncation);
    } catch (e) {
      throw new RangeError(`row ${r}: ${(e as Error).message}`);
    }
    const out = encodeInto(seqs, k, stride, addSpecial, plan, truncation, maxLength, ids, attentionMask, tokenTypeIds, r * maxLength);
    lengths[r] = out.length;
    truncated[r] = out.segments.reduce((a, s) => a + s.truncated, 0);
  }
  return { ids, attentionMask, tokenTypeIds, batchSize, seqLength: maxLength, lengths, truncated };
}

/** Tokenizes a batch into flat row-major [batch, maxLength] arrays (every row padded to `maxLength`). */
export function tokenizeBatch(sequences: readonly string[], options: BatchTokenizeOptions): BatchEncoding {
  return encodeBatch(
    sequences.map((s) => [s]),
    options,
    options.addSpecial !== false,
  );
}

/** Tokenizes a batch of pairs (`[CLS] A [SEP] B [SEP]`) into flat row-major [batch, maxLength] arrays. */
export function tokenizePairBatch(pairs: readonly (readonly [string, string])[], options: PairBatchTokenizeOptions): BatchEncoding {
  return encodeBatch(pairs, options, true);
}

/** The k-mer strings of a sequence, upper-cased, unknown bases kept as they are (DNABERT's `seq2kmer`). */
export function kmerize(sequence: string, k: number, overlapping = true): string[] {
  const upper = sequence.toUpperCase();
  const stride = strideOf(k, overlapping);
  const n = kmerCount(upper.length, k, overlapping);
  const out = new Array<string>(n);
  for (let j = 0; j < n; j++) out[j] = upper.slice(j * stride, j * stride + k);
  return out;
}

export interface DecodeOptions {
  /** Leave out [PAD], [CLS] and [SEP]. [UNK] and [MASK] stay: each stands for a position in the sequence. */
  readonly skipSpecialTokens?: boolean;
}

/** Token strings for ids of the k vocabulary; throws a RangeError for an id outside it. */
export function decode(ids: ArrayLike<number>, k: KmerSize, options: DecodeOptions = {}): string[] {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] ?? PAD_ID;
    if (options.skipSpecialTokens === true && (id === PAD_ID || id === CLS_ID || id === SEP_ID)) continue;
    out.push(idToToken(id, k));
  }
  return out;
}

export interface KmersToSequenceOptions {
  /** k-mer size; read from the first k-mer when absent. */
  readonly k?: number;
  /** Whether the k-mers overlap with stride 1 (default) or follow each other with stride k. */
  readonly overlapping?: boolean;
}

const UNKNOWN_TOKENS: ReadonlySet<string> = new Set([SPECIAL_TOKENS[UNK_ID], SPECIAL_TOKENS[MASK_ID]]);
const STRUCTURAL_TOKENS: ReadonlySet<string> = new Set([SPECIAL_TOKENS[PAD_ID], SPECIAL_TOKENS[CLS_ID], SPECIAL_TOKENS[SEP_ID]]);

/**
 * Rebuilds the DNA from k-mers (the inverse of `kmerize`/`decode`). [CLS], [SEP] and [PAD] are skipped; [UNK] and
 * [MASK] hold a position. For overlapping k-mers a base is taken from any k-mer that covers it, so a run of [UNK]
 * around an N gives back exactly that N; a base that no known k-mer covers becomes N. Throws when overlapping k-mers
 * disagree about a base or a k-mer has the wrong length.
 */
export function kmersToSequence(kmers: readonly string[], options: KmersToSequenceOptions = {}): string {
  const tokens = kmers.filter((t) => !STRUCTURAL_TOKENS.has(t));
  if (tokens.length === 0) return '';
  const k = options.k ?? tokens.find((t) => !UNKNOWN_TOKENS.has(t))?.length;
  if (k === undefined || !Number.isInteger(k) || k <= 0) {
    throw new RangeError('cannot tell the k-mer size: give options.k');
  }
  const stride = options.overlapping === false ? k : 1;
  const out = new Array<string | undefined>((tokens.length - 1) * stride + k);
  for (let j = 0; j < tokens.length; j++) {
    const token = tokens[j] ?? '';
    if (UNKNOWN_TOKENS.has(token)) continue;
    if (token.length !== k) throw new RangeError(`k-mer ${j} ("${token}") does not have ${k} bases`);
    for (let i = 0; i < k; i++) {
      const base = (token[i] ?? 'N').toUpperCase();
      if (vocabBaseCode(base.charCodeAt(0)) < 0) continue;
      const p = j * stride + i;
      const seen = out[p];
      if (seen !== undefined && seen !== base) {
        throw new RangeError(`k-mers disagree at base ${p}: ${seen} and ${base} (k-mer ${j}, "${token}")`);
      }
      out[p] = base;
    }
  }
  let seq = '';
  for (const base of out) seq += base ?? 'N';
  return seq;
}
