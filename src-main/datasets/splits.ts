import type { SplitRule } from '../../src-shared/api';

/** The split names the app uses; files may say dev/valid/val, training, testing... */
export const TRAIN = 'train';
export const VALIDATION = 'validation';
export const TEST = 'test';

const ALIASES: Readonly<Record<string, string>> = {
  train: TRAIN,
  training: TRAIN,
  dev: VALIDATION,
  valid: VALIDATION,
  val: VALIDATION,
  validation: VALIDATION,
  test: TEST,
  testing: TEST,
};

/** Canonical name of a split found in a file (null or blank: the records have none). */
export function normaliseSplitName(raw: string | null | undefined): string | null {
  const name = (raw ?? '').trim().toLowerCase();
  if (name === '') return null;
  return ALIASES[name] ?? name;
}

/** How far a split is from training, for leakage: a sequence shared with a later split leaves the earlier one. */
export function splitRank(name: string): number {
  return name === TRAIN ? 0 : name === VALIDATION ? 1 : 2;
}

/** Display order: train, validation, test, then any other split by name. */
export function compareSplits(a: string, b: string): number {
  const order = (s: string): number => (s === TRAIN ? 0 : s === VALIDATION ? 1 : s === TEST ? 2 : 3);
  return order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Class order: numbers numerically ("2" before "10"), then text by code point. */
export function compareLabels(a: string, b: string): number {
  const na = /^-?\d+$/.test(a) ? Number(a) : NaN;
  const nb = /^-?\d+$/.test(b) ? Number(b) : NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  if (!Number.isNaN(na)) return -1;
  if (!Number.isNaN(nb)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function percent(f: number): string {
  return String(Math.round(f * 1000) / 10);
}

export function describeSplitRule(rule: SplitRule): string {
  switch (rule.mode) {
    case 'given':
      return 'given splits';
    case 'random':
      return `random stratified ${percent(rule.train)}/${percent(rule.validation)}/${percent(rule.test)}, seed ${rule.seed}`;
    case 'chromosome': {
      const parts = [
        ...(rule.test.length > 0 ? [`test ${rule.test.join(', ')}`] : []),
        ...(rule.validation.length > 0 ? [`validation ${rule.validation.join(', ')}`] : []),
      ];
      return `by chromosome (${parts.length > 0 ? parts.join('; ') : 'all train'})`;
    }
  }
}

/** mulberry32: a small, well-mixed 32-bit PRNG; the same seed gives the same split on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Seeded stratified assignment. `groups[c]` lists the records of class c (in record order) that decide a split; each
 * list is shuffled (Fisher-Yates, one PRNG stream over the classes in the given order) and cut by the fractions:
 * round(n * train) to train, round(n * validation) to validation, the rest to test.
 * Returns, per class, the split code (0 train, 1 validation, 2 test) of each listed record, in the listed order.
 */
export function stratifiedAssignment(
  groups: readonly (readonly number[])[],
  rule: { readonly seed: number; readonly train: number; readonly validation: number },
): Uint8Array[] {
  const random = seededRandom(rule.seed);
  return groups.map((members) => {
    const n = members.length;
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i] ?? 0;
      order[i] = order[j] ?? 0;
      order[j] = t;
    }
    const nTrain = Math.min(n, Math.round(n * rule.train));
    const nValidation = Math.min(n - nTrain, Math.round(n * rule.validation));
    const codes = new Uint8Array(n);
    order.forEach((member, rank) => {
      codes[member] = rank < nTrain ? 0 : rank < nTrain + nValidation ? 1 : 2;
    });
    return codes;
  });
}
