import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import App from '../../src-renderer/App.vue';
import { REVALIDATE_DELAY_MS } from '../../src-renderer/stores/import-wizard';
import type { ImportOptions, ImportPreview } from '../../src-shared/api/datasets';
import { ApiError } from '../../src-shared/api/errors';
import type { JobDto } from '../../src-shared/api/dto';
import {
  datasetDetail,
  datasetSummary,
  importOptions,
  importPreview,
  importReport,
  installFakeApi,
  job,
  projectSummary,
  type FakeApi,
  type Handlers,
} from './fake-api';

const byId = (id: string): string => `[data-testid="${id}"]`;

interface Setup {
  wrapper: VueWrapper;
  fake: FakeApi;
  /** The jobs:start requests so far. */
  starts: () => { kind: string; params: ImportOptions }[];
}

let mounted: VueWrapper | null = null;

async function openWizard(preview: ImportPreview, handlers: Handlers = {}): Promise<Setup> {
  const pinia = createPinia();
  setActivePinia(pinia);
  let nextJob = 10;
  const fake = installFakeApi({
    'project:current': () => projectSummary(),
    'datasets:preview': () => preview,
    'jobs:start': (request) => job({ id: nextJob++, kind: request.kind, title: request.kind, state: 'queued' }),
    'datasets:records': () => ({ total: 0, records: [] }),
    ...handlers,
  });
  const wrapper = mount(App, { global: { plugins: [pinia] }, attachTo: document.body });
  mounted = wrapper;
  await flushPromises();
  await wrapper.get(byId('nav-datasets')).trigger('click');
  await wrapper.get(byId('import-open')).trigger('click');
  return {
    wrapper,
    fake,
    starts: () => fake.transport.callsTo('jobs:start') as { kind: string; params: ImportOptions }[],
  };
}

/** Plays the service: the job finishes with this outcome. */
async function finishJob(fake: FakeApi, id: number, kind: JobDto['kind'], outcome: Partial<JobDto>): Promise<void> {
  fake.transport.emit('job:update', job({ id, kind, state: 'running' }, { fraction: 0.5, step: 5, message: 'Reading records' }));
  fake.transport.emit('job:update', job({ id, kind, state: 'done', status: 'success', ...outcome }, { fraction: 1, step: 10 }));
  await flushPromises();
}

/** Picks an option of a select by its visible text. */
async function choose(wrapper: VueWrapper, testid: string, optionText: string): Promise<void> {
  const select = wrapper.get(byId(testid));
  const option = select.findAll('option').find((o) => o.text() === optionText);
  if (option === undefined) throw new Error(`no option "${optionText}" in ${select.html()}`);
  await select.setValue((option.element as HTMLOptionElement).value);
}

/** The suggested options of a non-table format: no column or header settings. */
function suggestedWithout(overrides: Partial<ImportOptions>): ImportOptions {
  const { sequenceColumn: _column, header: _header, ...rest } = importOptions();
  return { ...rest, ...overrides };
}

async function previewPaths(wrapper: VueWrapper, text: string): Promise<void> {
  await wrapper.get(byId('import-paths')).setValue(text);
  await wrapper.get(byId('import-preview')).trigger('click');
  await flushPromises();
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

beforeEach(() => {
  document.body.innerHTML = '';
});

afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

describe('import wizard', () => {
  it('sends exactly the options the user chose (CSV, label column, random split with seed 7) to validate and import', async () => {
    // The service suggests no classes and a 70/15/15 split; the user picks the label column and seed 7, 80/10/10.
    const preview = importPreview({
      suggested: importOptions({
        name: 'promoters',
        labels: { from: 'none' },
        split: { mode: 'random', seed: 42, train: 0.7, validation: 0.15, test: 0.15 },
      }),
    });
    const { wrapper, fake, starts } = await openWizard(preview, {
      'datasets:get': ({ id }) => datasetDetail({ id, name: 'Promoters v1' }),
    });

    await previewPaths(wrapper, '/data/promoters.csv\n\n');
    expect(fake.transport.callsTo('datasets:preview')).toEqual([{ paths: ['/data/promoters.csv'] }]);
    expect(wrapper.get(byId('import-detected-format')).text()).toContain('CSV');
    expect(wrapper.findAll(byId('import-record'))).toHaveLength(2);
    expect(wrapper.get(byId('import-record')).text()).toContain('TATAAAAGGC');
    expect(wrapper.get(byId('import-record')).text()).toContain('…');

    // Mapping: the sequence column comes from the suggestion, the class column is chosen, the name typed.
    expect((wrapper.get(byId('import-sequence-column')).element as HTMLSelectElement).value).toBe('1');
    await choose(wrapper, 'import-label-column', 'label');
    expect((wrapper.get(byId('import-name')).element as HTMLInputElement).value).toBe('promoters');
    await wrapper.get(byId('import-name')).setValue('Promoters v1');
    await wrapper.get(byId('import-description')).setValue('TSS ± 100 bp');
    await wrapper.get(byId('import-next')).trigger('click');

    // Policies and split.
    expect(wrapper.find(byId('import-step-policies')).exists()).toBe(true);
    await wrapper.get(byId('import-duplicates-drop')).setValue(true);
    await wrapper.get(byId('import-split-mode-random')).setValue(true);
    await wrapper.get(byId('import-seed')).setValue('7');
    await wrapper.get(byId('import-train-pct')).setValue('80');
    await wrapper.get(byId('import-validation-pct')).setValue('20');
    expect(wrapper.get(byId('import-pct-sum')).text()).toContain('must be 100%');
    expect(wrapper.get(byId('import-next')).attributes('disabled')).toBeDefined();
    await wrapper.get(byId('import-validation-pct')).setValue('10');
    await wrapper.get(byId('import-test-pct')).setValue('10');
    expect(wrapper.get(byId('import-next')).attributes('disabled')).toBeUndefined();
    await wrapper.get(byId('import-next')).trigger('click');
    await flushPromises();

    const expected: ImportOptions = {
      paths: ['/data/promoters.csv'],
      format: 'csv',
      name: 'Promoters v1',
      description: 'TSS ± 100 bp',
      labels: { from: 'column', column: 'label' },
      sequenceColumn: 'sequence',
      header: 'yes',
      ambiguous: 'to-n',
      invalid: 'reject',
      duplicates: 'drop',
      leakage: 'drop-from-train',
      split: { mode: 'random', seed: 7, train: 0.8, validation: 0.1, test: 0.1 },
    };
    expect(starts()).toStrictEqual([{ kind: 'dataset-validate', params: expected }]);

    // The check runs as a job with a progress bar and Cancel; Import waits for its report.
    expect(wrapper.get(byId('validate-progress')).attributes('data-percent')).toBe('0');
    expect(wrapper.find(byId('validate-cancel')).exists()).toBe(true);
    expect(wrapper.get(byId('import-start')).attributes('disabled')).toBeDefined();
    fake.transport.emit('job:update', job({ id: 10, kind: 'dataset-validate', state: 'running' }, { fraction: 0.42, step: 4 }));
    await flushPromises();
    expect(wrapper.get(byId('validate-progress')).attributes('data-percent')).toBe('42');

    await finishJob(fake, 10, 'dataset-validate', { result: importReport({ accepted: 998, dropped: 2 }) });
    expect(wrapper.get(byId('import-verdict')).attributes('data-verdict')).toBe('ready');
    expect(wrapper.get(byId('import-verdict')).text()).toContain('Ready');
    expect(wrapper.get(byId('import-report-counts')).text()).toContain('promoter');
    const start = wrapper.get(byId('import-start'));
    expect(start.attributes('disabled')).toBeUndefined();
    expect(start.text()).toBe('Import 998 records');

    await start.trigger('click');
    await flushPromises();
    expect(starts()).toStrictEqual([
      { kind: 'dataset-validate', params: expected },
      { kind: 'dataset-import', params: expected },
    ]);
    expect(wrapper.find(byId('import-progress')).exists()).toBe(true);
    expect(wrapper.find(byId('import-cancel')).exists()).toBe(true);

    // Success opens the new dataset's page.
    await finishJob(fake, 11, 'dataset-import', { result: datasetSummary({ id: 5, name: 'Promoters v1' }) });
    await flushPromises();
    expect(fake.transport.callsTo('datasets:get')).toEqual([{ id: 5 }]);
    expect(wrapper.find(byId('import-wizard')).exists()).toBe(false);
    expect(wrapper.get(byId('dataset-name')).text()).toBe('Promoters v1');
  });

  it('re-reads the files as another format when the format is changed', async () => {
    const tsv = importPreview({ format: 'tsv', suggested: importOptions({ format: 'tsv' }) });
    const { wrapper, fake } = await openWizard(importPreview());
    await previewPaths(wrapper, '/data/promoters.csv');
    fake.transport.handlers['datasets:preview'] = () => tsv;
    await wrapper.get(byId('import-name')).setValue('kept name');
    await wrapper.get(byId('import-format')).setValue('tsv');
    await flushPromises();
    expect(fake.transport.callsTo('datasets:preview')).toEqual([
      { paths: ['/data/promoters.csv'] },
      { paths: ['/data/promoters.csv'], format: 'tsv' },
    ]);
    expect(wrapper.get(byId('import-detected-format')).text()).toContain('TSV');
    expect((wrapper.get(byId('import-name')).element as HTMLInputElement).value).toBe('kept name');

    // A format the files cannot be read as: the message shows and the select goes back to the one in use.
    fake.transport.handlers['datasets:preview'] = () => {
      throw new ApiError('INVALID_REQUEST', '/data/promoters.csv is not a BED file: line 1 has no chromosome, start and end columns.');
    };
    await wrapper.get(byId('import-format')).setValue('bed');
    await flushPromises();
    expect(wrapper.get(byId('import-preview-error')).text()).toContain('is not a BED file');
    expect((wrapper.get(byId('import-format')).element as HTMLSelectElement).value).toBe('tsv');
  });

  it('shows a blocked report with file:line, keeps Import disabled, and checks again when a policy changes', async () => {
    const blocked = importReport({
      blocked: true,
      accepted: 997,
      issues: [
        {
          kind: 'invalid-character',
          severity: 'error',
          file: '/data/promoters.csv',
          line: 17,
          column: 42,
          message: 'The character "X" is not a DNA base.',
        },
        { kind: 'invalid-character', severity: 'error', file: '/data/promoters.csv', line: 90, column: 3, message: 'The character "#" is not a DNA base.' },
        { kind: 'duplicate', severity: 'warning', file: '/data/promoters.csv', line: 30, message: 'Same sequence as line 12.' },
      ],
      issueCounts: { 'invalid-character': 3, duplicate: 1 },
    });
    const { wrapper, fake, starts } = await openWizard(importPreview());
    await previewPaths(wrapper, '/data/promoters.csv');
    await wrapper.get(byId('import-next')).trigger('click');
    await wrapper.get(byId('import-next')).trigger('click');
    await flushPromises();
    await finishJob(fake, 10, 'dataset-validate', { result: blocked });

    const verdict = wrapper.get(byId('import-verdict'));
    expect(verdict.attributes('data-verdict')).toBe('blocked');
    expect(verdict.text()).toContain('Blocked: fix the file or change the policy');
    expect(wrapper.get(byId('import-start')).attributes('disabled')).toBeDefined();

    const groups = wrapper.findAll(byId('import-issue-group'));
    expect(groups.map((g) => g.attributes('data-kind'))).toEqual(['invalid-character', 'duplicate']);
    expect(groups[0]!.get(byId('import-issue-count')).text()).toBe('3');
    const lines = groups[0]!.findAll(byId('import-issue')).map((l) => l.text());
    expect(lines[0]).toBe('/data/promoters.csv:17:42 — The character "X" is not a DNA base.');
    expect(lines[1]).toContain('/data/promoters.csv:90:3');
    expect(groups[0]!.text()).toContain('and 1 more');

    // Leaving such records out is a policy change: the check runs again by itself and the new report unblocks.
    await wrapper.get(byId('import-invalid-drop-record')).setValue(true);
    await wait(REVALIDATE_DELAY_MS + 50);
    await flushPromises();
    expect(starts()).toHaveLength(2);
    expect(starts()[1]).toMatchObject({ kind: 'dataset-validate', params: { invalid: 'drop-record' } });
    await finishJob(fake, 11, 'dataset-validate', { result: importReport({ accepted: 997, dropped: 3 }) });
    expect(wrapper.get(byId('import-verdict')).attributes('data-verdict')).toBe('ready');
    expect(wrapper.get(byId('import-start')).attributes('disabled')).toBeUndefined();
  });

  it('shows why an import failed, stores nothing, and keeps every setting for another try', async () => {
    const { wrapper, fake, starts } = await openWizard(importPreview(), {
      'datasets:list': () => [],
    });
    await previewPaths(wrapper, '/data/promoters.csv');
    await wrapper.get(byId('import-name')).setValue('Promoters v2');
    await wrapper.get(byId('import-next')).trigger('click');
    await wrapper.get(byId('import-seed')).setValue('7');
    await wrapper.get(byId('import-next')).trigger('click');
    await flushPromises();
    await finishJob(fake, 10, 'dataset-validate', { result: importReport() });
    await wrapper.get(byId('import-start')).trigger('click');
    await flushPromises();
    const listCalls = fake.transport.callsTo('datasets:list').length;

    const message = 'promoters.csv, line 17: the sequence column is empty. Fix the file or choose to drop such records.';
    await finishJob(fake, 11, 'dataset-import', {
      status: 'failure',
      error: { code: 'IMPORT_REJECTED', message },
    });
    expect(wrapper.get(byId('import-error')).text()).toContain(message);
    expect(wrapper.find(byId('import-wizard')).exists()).toBe(true);
    expect(fake.transport.callsTo('datasets:list')).toHaveLength(listCalls);

    // Back to the settings: everything is as the user left it.
    await wrapper.get(byId('import-edit-settings')).trigger('click');
    expect((wrapper.get(byId('import-seed')).element as HTMLInputElement).value).toBe('7');
    await wrapper.get(byId('import-back')).trigger('click');
    expect((wrapper.get(byId('import-name')).element as HTMLInputElement).value).toBe('Promoters v2');
    await wrapper.get(byId('import-next')).trigger('click');
    await wrapper.get(byId('import-next')).trigger('click');
    await flushPromises();
    // The report still describes these options, so no new check is needed; Import sends the same options again.
    expect(starts()).toHaveLength(2);
    await wrapper.get(byId('import-start')).trigger('click');
    await flushPromises();
    const [validate, firstImport, secondImport] = starts();
    expect(firstImport).toStrictEqual({ kind: 'dataset-import', params: validate!.params });
    expect(secondImport).toStrictEqual(firstImport);
    expect(firstImport!.params).toMatchObject({ name: 'Promoters v2', split: { mode: 'random', seed: 7 } });

    // Closing the wizard shows the list, where the failed import left nothing.
    fake.transport.emit('job:update', job({ id: 12, kind: 'dataset-import', state: 'done', status: 'cancelled' }));
    await flushPromises();
    expect(wrapper.get(byId('import-cancelled')).text()).toContain('nothing was stored');
    await wrapper.get(byId('import-close')).trigger('click');
    expect(wrapper.find(byId('datasets-empty')).exists()).toBe(true);
    expect(wrapper.findAll(byId('dataset-row'))).toHaveLength(0);
  });

  it('hands dropped files to the host one by one, with a spinner while each is sent, and adds their paths', async () => {
    const { wrapper, fake } = await openWizard(importPreview());
    let release: (path: string) => void = () => undefined;
    fake.transport.resolveDropped = (file) =>
      file.name === 'big.fasta' ? new Promise<string>((resolve) => (release = resolve)) : Promise.reject(new Error('not a file'));

    const items = [
      { kind: 'file', getAsFile: () => new File(['>a\nACGT\n'], 'big.fasta'), webkitGetAsEntry: () => ({ isDirectory: false }) },
      { kind: 'file', getAsFile: () => new File([''], 'genomic-benchmarks'), webkitGetAsEntry: () => ({ isDirectory: true }) },
    ];
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: { items, files: [] } });
    wrapper.get(byId('import-dropzone')).element.dispatchEvent(drop);
    await flushPromises();

    expect(fake.transport.dropped.map((f) => f.name)).toEqual(['big.fasta', 'genomic-benchmarks']);
    const rows = wrapper.findAll(byId('import-dropped-item'));
    expect(rows.map((r) => r.attributes('data-state'))).toEqual(['uploading', 'error']);
    expect(rows[0]!.find('.spinner').exists()).toBe(true);
    expect(rows[1]!.text()).toContain('is a folder');
    expect(wrapper.get(byId('import-preview')).attributes('disabled')).toBeDefined();

    release('/tmp/uploads/1/big.fasta');
    await flushPromises();
    expect(wrapper.findAll(byId('import-dropped-item'))[0]!.attributes('data-state')).toBe('done');
    expect((wrapper.get(byId('import-paths')).element as HTMLTextAreaElement).value).toBe('/tmp/uploads/1/big.fasta');
    expect(wrapper.get(byId('import-preview')).attributes('disabled')).toBeUndefined();
  });

  it('FASTA: a header pattern shows what it extracts and is sent as the label source', async () => {
    const preview = importPreview({
      format: 'fasta',
      sources: [
        { path: '/data/pos.fa', format: 'fasta', split: null, label: null, bytes: 100 },
        { path: '/data/neg.fa', format: 'fasta', split: null, label: null, bytes: 100 },
      ],
      columns: [],
      hasHeader: false,
      records: [
        { id: 'chr1:100-300|promoter', sequence: 'ACGT', label: null, split: null, line: 1 },
        { id: 'chr2:500-700|background', sequence: 'GGCC', label: null, split: null, line: 1 },
        { id: 'no-bar-here', sequence: 'TTAA', label: null, split: null, line: 3 },
      ],
      suggested: suggestedWithout({
        paths: ['/data/pos.fa', '/data/neg.fa'],
        format: 'fasta',
        name: 'pos-neg',
        labels: { from: 'file', labels: { '/data/pos.fa': 'pos', '/data/neg.fa': 'neg' } },
      }),
    });
    const { wrapper, starts } = await openWizard(preview);
    await previewPaths(wrapper, '/data/pos.fa\n/data/neg.fa');

    // One class per file is suggested, each editable.
    const fileLabels = wrapper.findAll(byId('import-file-label'));
    expect(fileLabels.map((i) => (i.element as HTMLInputElement).value)).toEqual(['pos', 'neg']);
    await wrapper.get(byId('import-label-source-header-regex')).setValue(true);
    await wrapper.get(byId('import-label-regex')).setValue('\\|([^|]+)$');
    expect(wrapper.findAll(byId('import-regex-label')).map((c) => c.text())).toEqual(['promoter', 'background', 'no match']);
    await wrapper.get(byId('import-label-regex')).setValue('([');
    expect(wrapper.text()).toContain('This pattern is not valid');
    expect(wrapper.get(byId('import-next')).attributes('disabled')).toBeDefined();
    await wrapper.get(byId('import-label-regex')).setValue('\\|([^|]+)$');

    await wrapper.get(byId('import-next')).trigger('click');
    await wrapper.get(byId('import-next')).trigger('click');
    await flushPromises();
    expect(starts()[0]!.params).toStrictEqual({
      paths: ['/data/pos.fa', '/data/neg.fa'],
      format: 'fasta',
      name: 'pos-neg',
      labels: { from: 'header-regex', pattern: '\\|([^|]+)$' },
      ambiguous: 'to-n',
      invalid: 'reject',
      duplicates: 'keep',
      leakage: 'drop-from-train',
      split: { mode: 'random', seed: 42, train: 0.8, validation: 0.1, test: 0.1 },
    });
  });

  it('BED: sends the reference, flank, resize, strand and a split by chromosome', async () => {
    const preview = importPreview({
      format: 'bed',
      sources: [{ path: '/data/peaks.bed', format: 'bed', split: null, label: null, bytes: 300 }],
      columns: [],
      hasHeader: false,
      records: [{ id: 'chr1:100-300(+)', sequence: 'ACGTNACGT', label: 'enhancer', split: null, line: 1 }],
      suggested: suggestedWithout({
        paths: ['/data/peaks.bed'],
        format: 'bed',
        name: 'peaks',
        labels: { from: 'bed-name' },
        reverseComplementMinus: true,
      }),
    });
    const { wrapper, starts } = await openWizard(preview);
    await previewPaths(wrapper, '/data/peaks.bed');
    expect(wrapper.get(byId('import-next')).attributes('disabled')).toBeDefined();
    expect(wrapper.get(byId('import-problems')).text()).toContain('reference genome');
    await wrapper.get(byId('import-reference')).setValue('/genomes/hg38.fa.gz');
    await wrapper.get(byId('import-flank')).setValue('50');
    await wrapper.get(byId('import-resize')).setValue('200');
    await wrapper.get(byId('import-revcomp')).setValue(false);
    await wrapper.get(byId('import-next')).trigger('click');

    await wrapper.get(byId('import-split-mode-chromosome')).setValue(true);
    await wrapper.get(byId('import-validation-chromosomes')).setValue('chr8');
    await wrapper.get(byId('import-test-chromosomes')).setValue('chr9, chr10');
    await wrapper.get(byId('import-next')).trigger('click');
    await flushPromises();
    expect(starts()[0]!.params).toStrictEqual({
      paths: ['/data/peaks.bed'],
      format: 'bed',
      name: 'peaks',
      labels: { from: 'bed-name' },
      reference: '/genomes/hg38.fa.gz',
      flank: 50,
      resizeTo: 200,
      reverseComplementMinus: false,
      ambiguous: 'to-n',
      invalid: 'reject',
      duplicates: 'keep',
      leakage: 'drop-from-train',
      split: { mode: 'chromosome', validation: ['chr8'], test: ['chr9', 'chr10'] },
    });
  });

  it('shows a preview error in place and does not move on', async () => {
    const message = 'There is no file at /data/missing.csv. Check the path.';
    const { wrapper } = await openWizard(importPreview(), {
      'datasets:preview': () => {
        throw new ApiError('INVALID_REQUEST', message);
      },
    });
    await previewPaths(wrapper, '/data/missing.csv');
    expect(wrapper.get(byId('import-preview-error')).text()).toBe(message);
    expect(wrapper.find(byId('import-step-input')).exists()).toBe(true);
    expect(wrapper.findAll(byId('error-banner'))).toHaveLength(0);
  });
});
