/**
 * Fine-tuning from a pretrained model needs the model's shape (k, layers, hidden size, heads, FFN size): the encoder
 * weights are copied by name and shape, so a different shape would silently start some tensors from random values.
 * Fields the user left out are taken from the pretrained model; fields given that differ are refused with the values
 * to use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, type BertModelSettings } from '../../src-shared/api';
import type { SavedModelConfig } from './artifacts';

type Core = Omit<BertModelSettings, 'init'>;

interface Shape {
  readonly k: number;
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly intermediate: number;
}

const PRESETS: Record<'mini' | 'base', Omit<Shape, 'k'>> = {
  mini: { layers: 4, hidden: 256, heads: 4, intermediate: 1024 },
  base: { layers: 12, hidden: 768, heads: 12, intermediate: 3072 },
};

function shapeOfModel(dir: string, name: string): Shape {
  let config: SavedModelConfig;
  try {
    config = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as SavedModelConfig;
  } catch {
    throw new ApiError('INVALID_REQUEST', `The files of the model "${name}" are missing or damaged.`);
  }
  const spec = config.spec;
  if (spec.kind !== 'bert') throw new ApiError('INVALID_REQUEST', `The model "${name}" is not a BERT model.`);
  const base = PRESETS[spec.preset === 'base' ? 'base' : 'mini'];
  const c = spec.config ?? {};
  return {
    k: config.k ?? 6,
    layers: c.layers ?? base.layers,
    hidden: c.hidden ?? base.hidden,
    heads: c.heads ?? base.heads,
    intermediate: c.intermediate ?? base.intermediate,
  };
}

function shapeOfSettings(m: Core): Partial<Shape> {
  const base = m.preset === 'custom' ? {} : PRESETS[m.preset === 'paper' ? 'base' : 'mini'];
  return {
    ...base,
    ...(m.k === undefined ? {} : { k: m.k }),
    ...(m.layers === undefined ? {} : { layers: m.layers }),
    ...(m.hidden === undefined ? {} : { hidden: m.hidden }),
    ...(m.heads === undefined ? {} : { heads: m.heads }),
    ...(m.intermediate === undefined ? {} : { intermediate: m.intermediate }),
  };
}

/**
 * The BERT settings with the pretrained model's shape: the preset counts as given only when the user chose 'paper'
 * (the default 'cpu-quick' adopts the model's shape).
 */
export function adoptPretrainedShape<M extends Core>(m: M, dir: string, modelName: string): M {
  const model = shapeOfModel(dir, modelName);
  const explicit: Partial<Shape> = m.preset === 'paper' ? shapeOfSettings(m) : shapeOfSettings({ ...m, preset: 'custom' });
  const clash = (Object.keys(model) as (keyof Shape)[]).filter((key) => explicit[key] !== undefined && explicit[key] !== model[key]);
  if (clash.length > 0) {
    throw new ApiError(
      'INVALID_REQUEST',
      `The pretrained model "${modelName}" has ${clash.map((key) => `${key} ${model[key]}`).join(', ')}, but the settings ask for ${clash.map((key) => `${key} ${String(explicit[key])}`).join(', ')}; ` +
        `leave these out to use the model's shape (k ${model.k}, ${model.layers} layers, hidden ${model.hidden}, ${model.heads} heads, FFN ${model.intermediate}).`,
    );
  }
  return { ...m, preset: 'custom', k: model.k as 3 | 4 | 5 | 6, layers: model.layers, hidden: model.hidden, heads: model.heads, intermediate: model.intermediate };
}
