/**
 * The training engine's core: tasks (model + loss + batches), AdamW, and the data-parallel Trainer whose
 * `trainStep(batch)` the training loop calls. Loads TensorFlow.js when imported: import it lazily (`await import()`).
 */
export { AdamW, type AdamWOptions, type AdamWState, type UpdateStats } from './adamw';
export { applyMlmMasking, type MlmMaskingOptions } from './masking';
export { Replica } from './replica';
export { type Batch, IGNORE_INDEX, type ModelSpec, type Task, type TaskSpec, createTask, sliceBatch } from './task';
export {
  type Parallelism,
  type StepResult,
  Trainer,
  type TrainerOptions,
  defaultThreads,
  defaultWorkerScript,
  parallelism,
  shardRanges,
} from './trainer';
