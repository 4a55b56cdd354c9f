import type { ProjectCounts } from '../../../src-shared/api/dto';
import type { NavView } from '../../stores/nav';

export type PlaceholderView = Exclude<NavView, 'home' | 'jobs' | 'datasets'>;

export interface PlaceholderContent {
  readonly title: string;
  /** What the page is for, for someone who has never trained a model. */
  readonly purpose: string;
  /** What this build can and cannot do here, and what to do next. */
  readonly status: string;
  /** The project count shown on the page, if any. */
  readonly count?: { readonly key: keyof ProjectCounts; readonly singular: string; readonly plural?: string };
}

const NOT_YET = 'This build does not include';
const NEXT =
  'Meanwhile you can import and explore your sequences in Datasets, and check that the compute engine works on this ' +
  'computer: open Jobs and run the engine self-test.';

export const PLACEHOLDERS: Readonly<Record<PlaceholderView, PlaceholderContent>> = {
  pretrain: {
    title: 'Pretrain',
    purpose:
      'Pretraining lets a k-mer BERT model learn the "grammar" of DNA from unlabelled sequences by guessing hidden ' +
      'k-mers. A pretrained model needs far fewer labelled examples later. It is optional: you can also train a ' +
      'model from scratch or use the CNN baseline.',
    status: `${NOT_YET} pretraining yet; it arrives in a later version. ${NEXT}`,
    count: { key: 'runs', singular: 'run' },
  },
  train: {
    title: 'Train',
    purpose:
      'Training teaches a model your task from a labelled dataset: fine-tuning a pretrained k-mer BERT model, or ' +
      'training a CNN baseline for comparison. You will follow the loss and accuracy live while it runs.',
    status: `${NOT_YET} training yet; it arrives in a later version. ${NEXT}`,
    count: { key: 'runs', singular: 'run' },
  },
  models: {
    title: 'Models',
    purpose:
      'Every trained model is kept here with the dataset, settings and scores it was made with, so you can compare ' +
      'models and always tell how a result was produced.',
    status: `${NOT_YET} trained models yet: models appear here once training arrives in a later version. ${NEXT}`,
    count: { key: 'models', singular: 'model' },
  },
  predict: {
    title: 'Predict',
    purpose:
      'Prediction applies a trained model to new sequences (pasted or from a FASTA file) and gives a score per ' +
      'sequence that you can sort, filter and export.',
    status: `${NOT_YET} prediction yet; it arrives in a later version, once models can be trained. ${NEXT}`,
    count: { key: 'predictions', singular: 'prediction' },
  },
  reports: {
    title: 'Reports',
    purpose:
      'Reports summarise a model for a lab notebook or a paper: the data it saw, its settings, and its scores on the ' +
      'held-out test set (accuracy, ROC and precision-recall curves), exported as a file you can keep.',
    status: `${NOT_YET} reports yet; they arrive in a later version, once models can be trained. ${NEXT}`,
  },
};
