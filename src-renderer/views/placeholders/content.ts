import type { ProjectCounts } from '../../../src-shared/api/dto';
import type { NavView } from '../../stores/nav';

export type PlaceholderView = Exclude<NavView, 'home' | 'jobs' | 'datasets' | 'train' | 'models'>;

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
  'Meanwhile you can import and explore your sequences in Datasets, train and compare models in Train, and check that ' +
  'the compute engine works on this computer: open Jobs and run the engine self-test.';

export const PLACEHOLDERS: Readonly<Record<PlaceholderView, PlaceholderContent>> = {
  motifs: {
    title: 'Motifs',
    purpose:
      'Transcription-factor motifs (JASPAR, MEME, TRANSFAC) shown as sequence logos, and motif-affinity scans of your ' +
      'regions: the region features GeneBERT pretraining matches sequences against.',
    status: `${NOT_YET} the motif browser yet. ${NEXT}`,
  },
  pretrain: {
    title: 'Pretrain',
    purpose:
      'Pretraining lets a k-mer BERT model learn the "grammar" of DNA from unlabelled sequences by guessing hidden ' +
      'k-mers. A pretrained model needs far fewer labelled examples later. It is optional: you can also train a ' +
      'model from scratch or use the CNN baseline.',
    status: `${NOT_YET} pretraining yet; it arrives in a later version. ${NEXT}`,
    count: { key: 'runs', singular: 'run' },
  },
  predict: {
    title: 'Predict',
    purpose:
      'Prediction applies a trained model to new sequences (pasted or from a FASTA file) and gives a score per ' +
      'sequence that you can sort, filter and export.',
    status: `${NOT_YET} prediction yet; it arrives in a later version. Models you train are kept on the Models page until then. ${NEXT}`,
    count: { key: 'predictions', singular: 'prediction' },
  },
  reports: {
    title: 'Reports',
    purpose:
      'Reports summarise a model for a lab notebook or a paper: the data it saw, its settings, and its scores on the ' +
      'held-out test set (accuracy, ROC and precision-recall curves), exported as a file you can keep.',
    status: `${NOT_YET} reports yet; they arrive in a later version. Meanwhile each run's page shows its settings, test scores, curves and confusion matrix. ${NEXT}`,
  },
};
