import type { PredictionKind, PredictionSummary } from '../../../src-shared/api/inference';
import type { CsvTable } from '../../../src-shared/api/reports';

/** The table a record's "Export CSV…" writes; explanations have none (their PDF holds the map). */
export function csvTableOf(record: Pick<PredictionSummary, 'id' | 'kind'>): CsvTable | null {
  const tables: Record<PredictionKind, CsvTable | null> = {
    predict: { kind: 'prediction-rows', predictionId: record.id },
    scan: { kind: 'scan-calls', predictionId: record.id },
    variants: { kind: 'variant-rows', predictionId: record.id },
    explain: null,
  };
  return tables[record.kind];
}

/** What the CSV holds, for the dialog's help line. */
export const CSV_HELP: Readonly<Record<PredictionKind, string>> = {
  predict: 'One row per sequence: name, length, the probability of each class, the predicted class (and true label).',
  scan: 'One row per called region: chromosome, start, end (BED coordinates), strand, best score and nearest site.',
  variants: 'One row per variant: position, ref, alt, both probabilities, difference and log-odds ratio.',
  explain: '',
};
