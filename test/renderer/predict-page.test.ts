import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { getInstanceByDom } from 'echarts/core';
import App from '../../src-renderer/App.vue';
import type { JobStartRequest } from '../../src-shared/api/channels';
import type { JobDto } from '../../src-shared/api/dto';
import { ApiError } from '../../src-shared/api/errors';
import type { PredictionRowsQuery, ScanSettings, VariantRow } from '../../src-shared/api/inference';
import {
  installFakeApi,
  job,
  modelSummary,
  predictDetail,
  predictionRow,
  predictionSummary,
  projectSummary,
  scanDetail,
  scanTrack,
  type FakeApi,
  type Handlers,
} from './fake-api';

const byId = (id: string): string => `[data-testid="${id}"]`;
let mounted: VueWrapper | null = null;

async function openApp(handlers: Handlers = {}): Promise<{ wrapper: VueWrapper; fake: FakeApi }> {
  const pinia = createPinia();
  setActivePinia(pinia);
  const fake = installFakeApi({
    'project:current': () => projectSummary(),
    'models:list': () => [modelSummary(), modelSummary({ id: 30, name: 'DNABERT-6', architecture: 'bert', role: 'pretrained', classes: [] })],
    ...handlers,
  });
  const wrapper = mount(App, { global: { plugins: [pinia] }, attachTo: document.body });
  mounted = wrapper;
  await flushPromises();
  return { wrapper, fake };
}

function startRequests(fake: FakeApi): JobStartRequest[] {
  return fake.transport.callsTo('jobs:start') as JobStartRequest[];
}

function disabled(wrapper: VueWrapper, id: string): boolean {
  return (wrapper.get(byId(id)).element as HTMLButtonElement).disabled;
}

beforeEach(() => {
  document.body.innerHTML = '';
});

afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

describe('Predict page', () => {
  it('opens from the Models page with the model chosen, predicts pasted sequences and opens the sortable, filterable result', async () => {
    const rows = [predictionRow(0, 0.91), predictionRow(1, 0.12), predictionRow(2, 0.66)];
    const { wrapper, fake } = await openApp({
      'jobs:start': (request) => job({ id: 60, kind: request.kind, title: 'Predict', state: 'queued', params: request.params as unknown as JobDto['params'] }),
      'predictions:get': () => predictDetail(),
      'predictions:rows': (q: PredictionRowsQuery) => {
        let list = rows.filter((r) => (q.predicted === undefined || r.predicted === q.predicted) && (q.search === undefined || r.id.includes(q.search)));
        if (q.sortBy === 'score') list = [...list].sort((a, b) => (q.descending ? b.score - a.score : a.score - b.score));
        return { total: list.length, rows: list.slice(q.offset, q.offset + q.limit) };
      },
    });
    await wrapper.get(byId('nav-models')).trigger('click');
    await flushPromises();
    // Only classifiers can predict: the pretrained encoder has no Predict button.
    expect(wrapper.findAll(byId('model-predict'))).toHaveLength(1);
    await wrapper.get(byId('model-predict')).trigger('click');
    await flushPromises();
    expect(wrapper.find(byId('view-predict')).exists()).toBe(true);
    expect(wrapper.get(byId('predict-engine')).text()).toBe('ONNX Runtime is not installed.');
    expect((wrapper.get(byId('predict-model')).element as HTMLSelectElement).value).toBe('11');
    expect(wrapper.get(byId('predict-model-about')).text()).toMatch(/CNN.*background \/ promoter/s);

    expect(disabled(wrapper, 'predict-start')).toBe(true);
    expect(wrapper.get(byId('predict-problems')).text()).toMatch(/Paste at least one sequence/);
    await wrapper.get(byId('predict-text')).setValue('>a\nACGTACGT\n>b\nTTGACA\n>c\nGGGCCC');
    expect(wrapper.get(byId('predict-text-count')).text()).toBe('3 sequences pasted.');
    await wrapper.get(byId('predict-threshold')).setValue('1.2');
    expect(disabled(wrapper, 'predict-start')).toBe(true);
    expect(wrapper.get(byId('predict-problems')).text()).toMatch(/threshold must be a probability between 0 and 1/);
    await wrapper.get(byId('predict-threshold')).setValue('0.6');
    await wrapper.get(byId('predict-start')).trigger('click');
    await flushPromises();
    expect(startRequests(fake)).toEqual([
      { kind: 'predict', params: { modelId: 11, input: { kind: 'text', text: '>a\nACGTACGT\n>b\nTTGACA\n>c\nGGGCCC' }, threshold: 0.6 } },
    ]);
    expect(wrapper.find(byId('predict-progress-panel')).exists()).toBe(true);

    fake.transport.emit('job:update', job({ id: 60, kind: 'predict', state: 'running' }, { fraction: 0.5, message: '2 of 3 sequences' }));
    await flushPromises();
    expect(wrapper.get(byId('predict-progress-message')).text()).toBe('2 of 3 sequences');
    fake.transport.emit('job:update', job({ id: 60, kind: 'predict', state: 'done', status: 'success', result: predictionSummary() }, { fraction: 1 }));
    await flushPromises();

    // The record's page: its facts and the first page of rows, in input order.
    expect(wrapper.get(byId('prediction-title')).text()).toBe('candidates batch 1');
    expect(wrapper.get(byId('prediction-counts')).text()).toBe('background: 1, promoter: 2');
    expect(wrapper.findAll(byId('predict-row-score')).map((c) => c.text())).toEqual(['0.910', '0.120', '0.660']);
    const lastQuery = (): PredictionRowsQuery => fake.transport.callsTo('predictions:rows').at(-1) as PredictionRowsQuery;
    expect(lastQuery()).toEqual({ id: 40, offset: 0, limit: 50, sortBy: 'index', descending: false });

    await wrapper.get(byId('predict-sort-score')).trigger('click');
    await flushPromises();
    expect(lastQuery()).toMatchObject({ sortBy: 'score', descending: true });
    expect(wrapper.findAll(byId('predict-row-score')).map((c) => c.text())).toEqual(['0.910', '0.660', '0.120']);
    await wrapper.get(byId('predict-sort-score')).trigger('click');
    await flushPromises();
    expect(lastQuery()).toMatchObject({ sortBy: 'score', descending: false });

    await wrapper.get(byId('predict-rows-class')).setValue('background');
    await flushPromises();
    expect(lastQuery()).toMatchObject({ predicted: 'background', offset: 0 });
    expect(wrapper.findAll(byId('predict-row-class')).map((c) => c.text())).toEqual(['background']);
  });

  it('keeps a failed job’s form and says why', async () => {
    const { wrapper, fake } = await openApp({
      'jobs:start': () => job({ id: 61, kind: 'predict', state: 'running' }),
    });
    await wrapper.get(byId('nav-predict')).trigger('click');
    await flushPromises();
    await wrapper.get(byId('predict-model')).setValue('11');
    await wrapper.get(byId('predict-text')).setValue('ACGT');
    await wrapper.get(byId('predict-start')).trigger('click');
    await flushPromises();
    fake.transport.emit(
      'job:update',
      job({ id: 61, kind: 'predict', state: 'done', status: 'failure', error: { code: 'BAD_INPUT', message: 'pasted text, line 1: "ACGU" holds U.' } }),
    );
    await flushPromises();
    expect(wrapper.get(byId('predict-error')).text()).toContain('line 1');
    await wrapper.get(byId('predict-back-to-form')).trigger('click');
    expect(wrapper.find(byId('predict-job')).exists()).toBe(false);
    expect((wrapper.get(byId('predict-text')).element as HTMLTextAreaElement).value).toBe('ACGT');
  });
});

describe('input files', () => {
  it('takes a dropped FASTA as the input file through the host, as the import wizard does', async () => {
    const { wrapper, fake } = await openApp({ 'jobs:start': () => job({ id: 62, kind: 'predict', state: 'queued' }) });
    await wrapper.get(byId('nav-predict')).trigger('click');
    await wrapper.get(byId('predict-model')).setValue('11');
    await wrapper.get(byId('predict-input-file')).setValue(true);
    expect(wrapper.get(byId('predict-problems')).text()).toMatch(/Give the path of a FASTA or CSV file, or drop the file here/);
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: { files: [new File(['>a\nACGT\n'], 'candidates.fa')] } });
    wrapper.get(byId('predict-path-drop')).element.dispatchEvent(drop);
    await flushPromises();
    expect(fake.transport.dropped.map((f) => f.name)).toEqual(['candidates.fa']);
    expect((wrapper.get(byId('predict-path')).element as HTMLInputElement).value).toBe('/uploads/candidates.fa');
    await wrapper.get(byId('predict-start')).trigger('click');
    await flushPromises();
    expect(startRequests(fake)).toEqual([{ kind: 'predict', params: { modelId: 11, input: { kind: 'file', path: '/uploads/candidates.fa' }, threshold: 0.5 } }]);
  });
});

describe('Scan', () => {
  it('validates coordinates, sends the region 0-based, and draws the track, threshold, calls and sites of the result', async () => {
    const { wrapper, fake } = await openApp({
      'jobs:start': () => job({ id: 70, kind: 'scan', state: 'queued' }),
      'predictions:get': () => scanDetail(),
      'predictions:track': (q) => scanTrack(q.start ?? 200_000, q.end ?? 300_000),
    });
    await wrapper.get(byId('nav-predict')).trigger('click');
    await flushPromises();
    await wrapper.get(byId('predict-tab-scan')).trigger('click');
    await wrapper.get(byId('scan-model')).setValue('11');
    await wrapper.get(byId('scan-region')).setValue('chr2:2,300,001-2,400,000');
    expect(wrapper.get(byId('scan-problems')).text()).toMatch(/outside the bundled reference/);
    expect(disabled(wrapper, 'scan-start')).toBe(true);
    await wrapper.get(byId('scan-region')).setValue('chr2:200,001-300,000');
    expect(wrapper.get(byId('scan-region-info')).text()).toContain('100,000 bases; in BED terms chr2 200000–300000');
    await wrapper.get(byId('scan-strands-forward')).setValue(true);
    await wrapper.get(byId('scan-window')).setValue('200');
    await wrapper.get(byId('scan-threshold')).setValue('0.8');
    await wrapper.get(byId('scan-annotation')).setValue('resources/data/reference_hg38_chr2_1-2333275/tss_gencode_cage_hek293_hg38.bed');
    await wrapper.get(byId('scan-start')).trigger('click');
    await flushPromises();
    const expected: ScanSettings = {
      modelId: 11,
      source: { kind: 'file', path: 'resources/data/reference_hg38_chr2_1-2333275/chr2_1-2333275.fa.gz', record: 'chr2', start: 200_000, end: 300_000 },
      window: 200,
      stride: 50,
      strands: 'forward',
      threshold: 0.8,
      mergeGap: 100,
      minLength: 0,
      annotation: { path: 'resources/data/reference_hg38_chr2_1-2333275/tss_gencode_cage_hek293_hg38.bed', maxDistance: 500 },
    };
    expect(startRequests(fake)).toEqual([{ kind: 'scan', params: expected }]);

    fake.transport.emit('job:update', job({ id: 70, kind: 'scan', state: 'done', status: 'success', result: scanDetail() }, { fraction: 1 }));
    await flushPromises();
    expect(wrapper.get(byId('prediction-title')).text()).toBe('chr2 scan');
    expect(fake.transport.callsTo('predictions:track')).toEqual([{ id: 41, maxPoints: 2000 }]);

    const el = await vi.waitFor(() => wrapper.get(byId('scan-track')).element as HTMLElement, { timeout: 10_000 });
    const chart = getInstanceByDom(el);
    expect(chart).toBeDefined();
    type Series = { type: string; name: string; data: unknown[]; markArea?: { data: unknown[] }; markLine?: { data: { yAxis: number }[] } };
    const option = chart!.getOption() as { series: Series[] };
    expect(option.series.map((s) => `${s.type}:${s.name}`)).toEqual(['line:Forward strand (+)', 'line:Reverse strand (−)', 'scatter:Annotated sites']);
    expect(option.series[0]!.data).toHaveLength(100);
    expect(option.series[0]!.markLine!.data[0]!.yAxis).toBe(0.9);
    expect(option.series[0]!.markArea!.data).toHaveLength(2);
    expect(option.series[2]!.data).toHaveLength(3);
    expect(el.querySelectorAll('svg path').length).toBeGreaterThan(3);

    // The calls with their nearest site, sortable; precision and recall in words.
    expect(wrapper.findAll(byId('scan-call-score')).map((c) => c.text())).toEqual(['0.920', '0.970']);
    expect(wrapper.findAll(byId('scan-call-distance')).map((c) => c.text())).toEqual(['34,031', '0']);
    await wrapper.get(byId('scan-sort-score')).trigger('click');
    expect(wrapper.findAll(byId('scan-call-score')).map((c) => c.text())).toEqual(['0.970', '0.920']);
    await wrapper.get(byId('scan-sort-distance')).trigger('click');
    expect(wrapper.findAll(byId('scan-call-distance')).map((c) => c.text())).toEqual(['0', '34,031']);
    expect(wrapper.get(byId('scan-precision')).text()).toBe('50.0% — 1 of 2 calls near an annotated site');
    expect(wrapper.get(byId('scan-recall')).text()).toBe('33.3% — 1 of 3 sites near a call');

    // Zooming in asks for that stretch in detail and draws it in place of the overview there.
    chart!.dispatchAction({ type: 'dataZoom', dataZoomIndex: 0, startValue: 260_000, endValue: 270_000 });
    await vi.waitFor(() => expect(fake.transport.callsTo('predictions:track')).toHaveLength(2), { timeout: 5000 });
    expect(fake.transport.callsTo('predictions:track')[1]).toEqual({ id: 41, start: 260_000, end: 270_000, maxPoints: 2000 });
    await flushPromises();
    const zoomed = chart!.getOption() as { series: Series[] };
    const xs = (zoomed.series[0]!.data as [number, number][]).map((p) => p[0]);
    expect(xs.filter((x) => x >= 260_000 && x < 270_000).length).toBe(100);
  });
});

describe('reports from a record', () => {
  it('writes a PDF of a scan to the typed path (adding .pdf) and shows an error next to the path', async () => {
    let fail = true;
    const { wrapper, fake } = await openApp({
      'predictions:list': () => [scanDetail()],
      'predictions:get': () => scanDetail(),
      'predictions:track': () => scanTrack(),
      'reports:pdf': ({ path }) => {
        if (fail) throw new ApiError('INVALID_REQUEST', `Cannot write ${path}: the folder does not exist. Choose an existing folder.`);
        return { path, bytes: 84_000, count: 3 };
      },
    });
    await wrapper.get(byId('nav-predict')).trigger('click');
    await flushPromises();
    await wrapper.get(byId('predict-tab-records')).trigger('click');
    await flushPromises();
    expect(wrapper.findAll(byId('prediction-record'))).toHaveLength(1);
    await wrapper.get(byId('prediction-open')).trigger('click');
    await flushPromises();
    await wrapper.get(byId('prediction-pdf')).trigger('click');
    expect(disabled(wrapper, 'prediction-pdf-dialog-submit')).toBe(true);
    await wrapper.get(byId('prediction-pdf-dialog-path')).setValue('/nowhere/scan');
    await wrapper.get(byId('prediction-pdf-dialog-submit')).trigger('click');
    await flushPromises();
    expect(wrapper.get(byId('prediction-pdf-dialog-error')).text()).toContain('Choose an existing folder');
    fail = false;
    await wrapper.get(byId('prediction-pdf-dialog-path')).setValue('/reports/scan');
    await wrapper.get(byId('prediction-pdf-dialog-submit')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('reports:pdf')).toEqual([
      { subject: { kind: 'prediction', predictionId: 41 }, path: '/nowhere/scan.pdf' },
      { subject: { kind: 'prediction', predictionId: 41 }, path: '/reports/scan.pdf' },
    ]);
    expect(wrapper.get(byId('prediction-pdf-dialog-result')).text()).toMatch(/\/reports\/scan\.pdf.*3 pages/s);
  });

  it('exports the calls of a scan as CSV with the options chosen', async () => {
    const { wrapper, fake } = await openApp({
      'predictions:list': () => [scanDetail()],
      'reports:csv': ({ path }) => ({ path, bytes: 300, count: 2 }),
    });
    await wrapper.get(byId('nav-predict')).trigger('click');
    await wrapper.get(byId('predict-tab-records')).trigger('click');
    await flushPromises();
    await wrapper.get(byId('prediction-csv')).trigger('click');
    await wrapper.get(byId('prediction-csv-dialog-path')).setValue('/reports/calls.csv');
    await wrapper.get(byId('prediction-csv-dialog-bom')).setValue(true);
    await wrapper.get(byId('prediction-csv-dialog-delimiter')).setValue(';');
    await wrapper.get(byId('prediction-csv-dialog-submit')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('reports:csv')).toEqual([
      { table: { kind: 'scan-calls', predictionId: 41 }, path: '/reports/calls.csv', options: { bom: true, delimiter: ';' } },
    ]);
    expect(wrapper.get(byId('prediction-csv-dialog-result')).text()).toContain('2 rows');
  });
});

describe('earlier results', () => {
  it('asks before deleting a record, then follows predictions.onChanged', async () => {
    const { wrapper, fake } = await openApp({
      'predictions:list': () => [scanDetail(), predictionSummary()],
      'predictions:delete': () => null,
    });
    await wrapper.get(byId('nav-predict')).trigger('click');
    await wrapper.get(byId('predict-tab-records')).trigger('click');
    await flushPromises();
    expect(wrapper.get(byId('predict-tab-records')).text()).toBe('Results (2)');
    expect(wrapper.findAll(byId('prediction-record')).map((r) => r.attributes('data-kind'))).toEqual(['scan', 'predict']);
    await wrapper.findAll(byId('prediction-record-delete'))[1]!.trigger('click');
    expect(wrapper.get(byId('prediction-record-delete-dialog')).text()).toContain('candidates batch 1');
    expect(fake.transport.callsTo('predictions:delete')).toEqual([]);
    await wrapper.get(byId('prediction-record-delete-dialog-confirm')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('predictions:delete')).toEqual([{ id: 40 }]);
    expect(wrapper.findAll(byId('prediction-record'))).toHaveLength(1);
    fake.transport.emit('predictions:changed', []);
    await flushPromises();
    expect(wrapper.find(byId('prediction-records-empty')).exists()).toBe(true);
  });
});

describe('Variants and Explain', () => {
  it('sends pasted variants on the bundled reference, names a bad line, and sorts the effects by |Δ|', async () => {
    const variantRow = (index: number, pos: number, delta: number): VariantRow => ({
      index,
      id: '.',
      chrom: 'chr2',
      pos,
      ref: 'A',
      alt: 'G',
      refProbability: 0.5,
      altProbability: 0.5 + delta,
      delta,
      logOddsRatio: Math.log((0.5 + delta) / (0.5 - delta)),
    });
    const rows = [variantRow(0, 264_100, 0.05), variantRow(1, 264_950, -0.3)];
    const detail = {
      ...predictionSummary({ id: 42, kind: 'variants' as const, name: 'two variants' }),
      result: {
        kind: 'variants' as const,
        settings: { modelId: 11, referencePath: 'resources/data/x.fa.gz', variants: { kind: 'text' as const, text: '' } },
        className: 'promoter',
        window: 251,
      },
    };
    const { wrapper, fake } = await openApp({
      'jobs:start': () => job({ id: 80, kind: 'variants', state: 'queued' }),
      'predictions:get': () => detail,
      'predictions:variants': (q) => {
        const list = q.sortBy === 'absDelta' ? [...rows].sort((a, b) => (q.descending ? -1 : 1) * (Math.abs(a.delta) - Math.abs(b.delta))) : rows;
        return { total: list.length, rows: list };
      },
    });
    await wrapper.get(byId('nav-predict')).trigger('click');
    await wrapper.get(byId('predict-tab-variants')).trigger('click');
    await wrapper.get(byId('variants-model')).setValue('11');
    await wrapper.get(byId('variants-text')).setValue('chr2:264,100 A>G\nchr2:264950 C');
    expect(wrapper.get(byId('variants-problems')).text()).toMatch(/Line 2: "chr2:264950 C" is not a variant/);
    expect(disabled(wrapper, 'variants-start')).toBe(true);
    await wrapper.get(byId('variants-text')).setValue('chr2:264,100 A>G\nchr2:264,950 C>T');
    await wrapper.get(byId('variants-start')).trigger('click');
    await flushPromises();
    expect(startRequests(fake)).toEqual([
      {
        kind: 'variants',
        params: {
          modelId: 11,
          referencePath: 'resources/data/reference_hg38_chr2_1-2333275/chr2_1-2333275.fa.gz',
          // Thousands separators are for people; the service reads plain numbers.
          variants: { kind: 'text', text: 'chr2:264100 A>G\nchr2:264950 C>T' },
        },
      },
    ]);
    fake.transport.emit('job:update', job({ id: 80, kind: 'variants', state: 'done', status: 'success', result: detail }, { fraction: 1 }));
    await flushPromises();
    expect(wrapper.findAll(byId('variant-row-delta')).map((c) => c.text())).toEqual(['+0.050', '-0.300']);
    await wrapper.get(byId('variant-sort-abs')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('predictions:variants').at(-1)).toEqual({ id: 42, offset: 0, limit: 50, sortBy: 'absDelta', descending: true });
    expect(wrapper.findAll(byId('variant-row-delta')).map((c) => c.text())).toEqual(['-0.300', '+0.050']);
  });

  it('draws the mutagenesis map under the sequence and the attention map of the chosen layer and head', async () => {
    const sequence = 'ACGTA';
    const ism = sequence.split('').map((base, p) => ['A', 'C', 'G', 'T'].map((b) => (b === base ? 0 : (p + 1) / 100)));
    const tokens = ['[CLS]', 'ACG', 'CGT', 'GTA', '[SEP]'];
    const weights = [0, 1].map((layer) => [0, 1].map((head) => tokens.map((_, q) => tokens.map((__, k) => (q === k ? 0.5 + layer * 0.1 + head * 0.01 : 0.1)))));
    const detail = {
      ...predictionSummary({ id: 43, kind: 'explain' as const, name: 'why', modelName: 'BERT promoters' }),
      result: {
        kind: 'explain' as const,
        settings: { modelId: 12, sequence },
        sequence,
        className: 'promoter',
        probability: 0.8,
        ism,
        attention: { tokens, layers: 2, heads: 2, weights },
      },
    };
    const { wrapper } = await openApp({ 'predictions:list': () => [detail], 'predictions:get': () => detail });
    await wrapper.get(byId('nav-predict')).trigger('click');
    await wrapper.get(byId('predict-tab-records')).trigger('click');
    await flushPromises();
    await wrapper.get(byId('prediction-open')).trigger('click');
    await flushPromises();
    // Explanations have no table to export; the PDF holds the map.
    expect(wrapper.find(byId('prediction-csv')).exists()).toBe(false);
    expect(wrapper.get(byId('explain-result')).text()).toContain('The strongest change: A5C (+0.050)');

    const ismEl = await vi.waitFor(() => wrapper.get(byId('explain-ism')).element as HTMLElement, { timeout: 10_000 });
    type HeatOption = { xAxis: { data: string[] }[]; yAxis: { data: string[] }[]; series: { data: number[][] }[] };
    const ismOption = getInstanceByDom(ismEl)!.getOption() as HeatOption;
    expect(ismOption.xAxis[0]!.data).toEqual(['A', 'C', 'G', 'T', 'A']);
    expect(ismOption.yAxis[0]!.data).toEqual(['A', 'C', 'G', 'T']);
    expect(ismOption.series[0]!.data).toHaveLength(20);
    expect(ismOption.series[0]!.data).toContainEqual([4, 1, 0.05]);

    const attEl = await vi.waitFor(() => wrapper.get(byId('explain-attention')).element as HTMLElement, { timeout: 10_000 });
    const diagonal = (): number | undefined =>
      ((getInstanceByDom(attEl)!.getOption() as HeatOption).series[0]!.data.find((d) => d[0] === 0 && d[1] === 0) ?? [])[2];
    expect(diagonal()).toBeCloseTo(0.5);
    await wrapper.get(byId('explain-layer')).setValue('1');
    await wrapper.get(byId('explain-head')).setValue('1');
    await flushPromises();
    expect(diagonal()).toBeCloseTo(0.61);
  });
});
