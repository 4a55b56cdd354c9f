/**
 * The k-mer vocabularies of DNABERT (k = 3..6), generated rather than shipped: the ids are identical to the lines of
 * DNABERT's `vocab.txt` (`dnabert-config/bert-config-<k>/vocab.txt`), so weights trained with that tokenizer load
 * unchanged. Five special tokens come first, then every k-mer with the bases ordered A, T, C, G — which makes a
 * k-mer's id its base-4 number (A=0, T=1, C=2, G=3, first base most significant) plus 5.
 */

export const PAD_ID = 0;
export const UNK_ID = 1;
export const CLS_ID = 2;
export const SEP_ID = 3;
export const MASK_ID = 4;

/** Special tokens in id order: `SPECIAL_TOKENS[PAD_ID] === '[PAD]'`, and so on. */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;
export type SpecialToken = (typeof SPECIAL_TOKENS)[number];
export const NUM_SPECIAL_TOKENS = SPECIAL_TOKENS.length;

/** The order DNABERT's vocabulary enumerates bases in (not alphabetical). */
export const VOCAB_BASE_ORDER = 'ATCG';

/** The k-mer sizes DNABERT publishes vocabularies (and weights) for. */
export const SUPPORTED_K = [3, 4, 5, 6] as const;
export type KmerSize = (typeof SUPPORTED_K)[number];

export function isKmerSize(k: unknown): k is KmerSize {
  return k === 3 || k === 4 || k === 5 || k === 6;
}

function checkK(k: number): asserts k is KmerSize {
  if (!isKmerSize(k)) throw new RangeError(`k-mer size must be one of ${SUPPORTED_K.join(', ')}; got ${String(k)}`);
}

/** Base code for a character code in vocabulary order (A=0, T=1, C=2, G=3, either case); -1 for anything else. */
const BASE_CODE = new Int8Array(128).fill(-1);
for (let i = 0; i < VOCAB_BASE_ORDER.length; i++) {
  BASE_CODE[VOCAB_BASE_ORDER.charCodeAt(i)] = i;
  BASE_CODE[VOCAB_BASE_ORDER.toLowerCase().charCodeAt(i)] = i;
}

/** Vocabulary base code (A=0, T=1, C=2, G=3, either case) of one UTF-16 code unit, or -1 when it is not A/C/G/T. */
export function vocabBaseCode(charCode: number): number {
  return charCode < 128 ? (BASE_CODE[charCode] ?? -1) : -1;
}

/** Number of tokens in the k-mer vocabulary: 4^k k-mers + 5 specials (4101 for k = 6). */
export function vocabSize(k: number): number {
  checkK(k);
  return 4 ** k + NUM_SPECIAL_TOKENS;
}

/** Id of one k-mer (either case) in the vocabulary of k = `kmer.length`; [UNK] when it holds anything but A/C/G/T. */
export function kmerToId(kmer: string, k: number = kmer.length): number {
  checkK(k);
  if (kmer.length !== k) return UNK_ID;
  let value = 0;
  for (let i = 0; i < k; i++) {
    const code = vocabBaseCode(kmer.charCodeAt(i));
    if (code < 0) return UNK_ID;
    value = value * 4 + code;
  }
  return value + NUM_SPECIAL_TOKENS;
}

/** Id of any token of the k vocabulary (a special token or a k-mer); [UNK] for anything it does not hold. */
export function tokenToId(token: string, k: number): number {
  const special = (SPECIAL_TOKENS as readonly string[]).indexOf(token);
  return special >= 0 ? special : kmerToId(token, k);
}

/** The token (special token or upper-case k-mer) with this id; throws a RangeError for an id outside the vocabulary. */
export function idToToken(id: number, k: number): string {
  checkK(k);
  if (!Number.isInteger(id) || id < 0 || id >= 4 ** k + NUM_SPECIAL_TOKENS) {
    throw new RangeError(`token id ${String(id)} is outside the ${k}-mer vocabulary (0..${4 ** k + NUM_SPECIAL_TOKENS - 1})`);
  }
  if (id < NUM_SPECIAL_TOKENS) return SPECIAL_TOKENS[id] ?? '[UNK]';
  let value = id - NUM_SPECIAL_TOKENS;
  const chars = new Array<string>(k);
  for (let i = k - 1; i >= 0; i--) {
    chars[i] = VOCAB_BASE_ORDER[value & 3] ?? 'N';
    value >>= 2;
  }
  return chars.join('');
}

export function isSpecialId(id: number): boolean {
  return id >= 0 && id < NUM_SPECIAL_TOKENS;
}

/** The whole vocabulary in id order: line i of DNABERT's `vocab.txt` is `buildVocab(k)[i]`. */
export function buildVocab(k: number): string[] {
  checkK(k);
  const size = 4 ** k + NUM_SPECIAL_TOKENS;
  const out = new Array<string>(size);
  for (let id = 0; id < size; id++) out[id] = idToToken(id, k);
  return out;
}
