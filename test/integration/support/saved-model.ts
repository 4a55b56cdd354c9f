import type { ParamLayout } from '../../../src-main/engine/models/params';
import type { SavedModelConfig } from '../../../src-main/training/artifacts';
import { CNN_BASE_IDS, type ModelPlan } from '../../../src-main/training/model-plan';

/** The model.json a training run writes for a classifier of `plan` with weights laid out as `layout` (no run). */
export function savedModelConfig(plan: ModelPlan, layout: ParamLayout): SavedModelConfig {
  const input = plan.input;
  return {
    format: 'dnalm-model',
    version: 1,
    architecture: plan.architecture,
    role: 'classifier',
    spec: plan.spec,
    classes: plan.classes,
    input,
    maxLength: input.kind === 'cnn' ? input.length : null,
    k: input.kind === 'kmer' ? input.k : null,
    maxTokens: input.kind === 'kmer' ? input.maxTokens : null,
    tokenizer:
      input.kind === 'cnn'
        ? { kind: 'bases', ids: { ...CNN_BASE_IDS }, pad: CNN_BASE_IDS.pad, truncation: 'right' }
        : { kind: 'kmer', k: input.k, overlapping: true, addSpecial: true, maxLength: input.maxTokens, truncation: 'right' },
    outputs: plan.outputs,
    parameters: layout.trainableSize,
    layout: layout.entries.map((e) => ({ name: e.name, shape: e.shape, offset: e.offset, size: e.size })),
    runId: null,
    createdAt: new Date().toISOString(),
  };
}
