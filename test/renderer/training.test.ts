import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { getInstanceByDom } from 'echarts/core';
import App from '../../src-renderer/App.vue';
import { PREFLIGHT_DEBOUNCE_MS } from '../../src-renderer/lib/training';
import { publishedFor } from '../../src-renderer/lib/published';
import { useJobsStore } from '../../src-renderer/stores/jobs';
import type { JobDto } from '../../src-shared/api/dto';
import type { JobStartRequest } from '../../src-shared/api/channels';
import type { CompareSettings } from '../../src-shared/api/training';
import {
  compareSummary,
  datasetSummary,
  installFakeApi,
  job,
  modelSummary,
  preflightEstimate,
  projectSummary,
  runDetail,
  runSummary,
  trainSettings,
  type FakeApi,
  type Handlers,
} from './fake-api';

const byId = (id: string): string => `[data-testid="${id}"]`;
let mounted: VueWrapper | null = null;

async function openTrain(handlers: Handlers = {}): Promise<{ wrapper: VueWrapper; fake: FakeApi }> {
  const pinia = createPinia();
  setActivePinia(pinia);
  const fake = installFakeApi({
    'project:current': () => projectSummary(),
    'datasets:list': () => [datasetSummary()],
    'jobs:start': (request) => trainJob({ params: request.params as unknown as JobDto['params'] }),
    ...handlers,
  });
  const wrapper = mount(App, { global: { plugins: [pinia] }, attachTo: document.body });
  mounted = wrapper;
  await flushPromises();
  await wrapper.get(byId('nav-train')).trigger('click');
  await flushPromises();
  return { wrapper, fake };
}

function trainJob(overrides: Partial<JobDto> = {}, progress: Partial<JobDto['progress']> = {}): JobDto {
  return job({ id: 40, kind: 'train', title: 'Train a model', state: 'queued', ...overrides }, { total: 1200, ...progress });
}

/** Lets the debounced pre-flight run and answer. */
async function afterPreflight(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, PREFLIGHT_DEBOUNCE_MS + 50));
  await flushPromises();
}

function trainStarts(fake: FakeApi): unknown[] {
  return (fake.transport.callsTo('jobs:start') as JobStartRequest[]).filter((r) => r.kind === 'train');
}

beforeEach(() => {
  document.body.innerHTML = '';
});

afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

describe('train form', () => {
  it('sends exactly the CNN settings chosen (epochs 3, seed 7) and shows the live view', async () => {
    const { wrapper, fake } = await openTrain();
    expect(wrapper.get(byId('train-model')).attributes('data-value')).toBe('cnn');
    expect((wrapper.get(byId('train-dataset')).element as HTMLSelectElement).value).toBe('1');
    await wrapper.get(byId('train-epochs')).setValue('3');
    await wrapper.get(byId('train-seed')).setValue('7');
    await afterPreflight();

    const preflights = fake.transport.callsTo('training:preflight');
    expect(preflights.at(-1)).toEqual({ settings: trainSettings() });
    expect(wrapper.get(byId('preflight')).attributes('data-state')).toBe('fits');
    expect(wrapper.get(byId('preflight-parameters')).text()).toContain('1,234,567');
    expect(wrapper.get(byId('preflight-memory')).text()).toContain('500 MB of 4.0 GB available (13%)');
    expect(wrapper.get(byId('preflight-backend')).text()).toBe('tfjs-node, 8 threads');

    await wrapper.get(byId('train-start')).trigger('click');
    await flushPromises();
    expect(trainStarts(fake)).toEqual([{ kind: 'train', params: { settings: trainSettings() } }]);
    expect(wrapper.find(byId('train-live')).exists()).toBe(true);
    expect(wrapper.find(byId('train-cancel')).exists()).toBe(true);
    expect(wrapper.find(byId('train-form')).exists()).toBe(false);
  });

  it('sends a BERT cpu-quick run with a frozen encoder from a pretrained model, holding out validation', async () => {
    const { wrapper, fake } = await openTrain({
      'datasets:list': () => [datasetSummary({ id: 2, splits: ['train', 'test'] })],
      'models:list': () => [
        modelSummary(),
        modelSummary({ id: 9, name: 'DNABERT-mini pretrained', architecture: 'bert', role: 'pretrained', runId: null }),
      ],
    });
    await wrapper.get(byId('train-model-bert')).setValue(true);
    expect(wrapper.get(byId('train-preset')).attributes('data-value')).toBe('cpu-quick');
    await wrapper.get(byId('train-init-model')).setValue(true);
    expect((wrapper.get(byId('train-pretrained')).element as HTMLSelectElement).value).toBe('9');
    expect(wrapper.findAll(`${byId('train-pretrained')} option`)).toHaveLength(1);
    await wrapper.get(byId('train-finetune-frozen-encoder')).setValue(true);
    expect(wrapper.find(byId('train-validation-fraction')).exists()).toBe(true);
    await afterPreflight();
    await wrapper.get(byId('train-start')).trigger('click');
    await flushPromises();

    expect(trainStarts(fake)).toEqual([
      {
        kind: 'train',
        params: {
          settings: {
            datasetId: 2,
            model: {
              architecture: 'bert',
              preset: 'cpu-quick',
              k: 6,
              init: { from: 'model', modelId: 9 },
              fineTune: { mode: 'frozen-encoder' },
            },
            epochs: 5,
            batchSize: 32,
            learningRate: 0.0001,
            weightDecay: 0.01,
            warmup: 0.1,
            schedule: 'linear',
            clipNorm: 1,
            classWeights: 'none',
            earlyStoppingPatience: null,
            seed: 42,
            validationFraction: 0.1,
          },
        },
      },
    ]);
  });

  it('disables Start and shows the advice when the pre-flight says it does not fit', async () => {
    const advice = 'The Paper preset needs 14 GB; choose CPU quick or a batch size of 8.';
    const { wrapper } = await openTrain({
      'training:preflight': () => preflightEstimate({ fits: false, memoryBytes: 14e9, advice }),
    });
    await afterPreflight();
    expect(wrapper.get(byId('preflight')).attributes('data-state')).toBe('too-big');
    expect(wrapper.get(byId('preflight-advice')).text()).toBe(advice);
    expect(wrapper.get(byId('preflight-verdict')).text()).toContain('does not fit');
    expect(wrapper.get(byId('train-start')).attributes('disabled')).toBeDefined();
  });

  it('explains the empty states: no dataset, and no pretrained model for BERT', async () => {
    const { wrapper } = await openTrain({ 'datasets:list': () => [] });
    expect(wrapper.get(byId('train-no-datasets')).text()).toContain('Import them first');
    expect(wrapper.get(byId('train-start')).attributes('disabled')).toBeDefined();
    await wrapper.get(byId('train-model-bert')).setValue(true);
    expect(wrapper.get(byId('train-no-pretrained')).text()).toContain('come from pretraining');
    expect(wrapper.get(byId('train-init-model')).attributes('disabled')).toBeDefined();
    await wrapper.get(byId('train-go-datasets')).trigger('click');
    expect(wrapper.find(byId('view-datasets')).exists()).toBe(true);
  });
});

describe('live run', () => {
  it('charts training loss per step and a validation point per epoch, then offers Resume after a cancel', async () => {
    const { wrapper, fake } = await openTrain({
      'jobs:start': (request) =>
        'resumeRunId' in (request.params as object)
          ? trainJob({ id: 41, params: request.params as unknown as JobDto['params'] })
          : trainJob({ params: { ...(request.params as object), runId: 5 } }),
    });
    const jobs = useJobsStore();
    const frames: (() => void)[] = [];
    jobs.setFrameScheduler((cb) => frames.push(cb));
    const flushFrames = (): void => {
      while (frames.length > 0) frames.shift()!();
    };
    await afterPreflight();
    await wrapper.get(byId('train-start')).trigger('click');
    await flushPromises();

    const params = { settings: trainSettings({ epochs: 2 }), runId: 5 };
    const update = (step: number, metrics: Record<string, number>, extra: Partial<JobDto> = {}): void =>
      fake.transport.emit(
        'job:update',
        trainJob(
          { state: 'running', params, ...extra },
          { step, total: 200, fraction: step / 200, etaSeconds: 120, message: `Epoch ${metrics['epoch']}/2 · step ${step}/200`, metrics },
        ),
      );
    update(50, { epoch: 1, trainLoss: 0.69 });
    update(100, { epoch: 1, trainLoss: 0.6, valLoss: 0.58, valAccuracy: 0.7, valMcc: 0.41, learningRate: 0.001 });
    flushFrames();
    await flushPromises();
    // A later point at the same epoch without validation metrics does not lose the epoch's validation point.
    update(150, { epoch: 2, trainLoss: 0.5 });
    update(200, { epoch: 2, trainLoss: 0.45, valLoss: 0.5, valAccuracy: 0.78, valMcc: 0.56, learningRate: 0.0005 });
    flushFrames();
    await flushPromises();

    expect(wrapper.get(byId('train-progress')).attributes('data-percent')).toBe('100');
    expect(wrapper.get(byId('train-message')).text()).toBe('Epoch 2/2 · step 200/200');
    expect(wrapper.get(byId('train-eta')).text()).toBe('about 2 min left');
    const lossEl = await vi.waitFor(() => wrapper.get(byId('train-chart-loss')).element as HTMLElement, { timeout: 10_000 });
    const valEl = wrapper.get(byId('train-chart-validation')).element as HTMLElement;
    await flushPromises();
    const loss = getInstanceByDom(lossEl)!.getOption() as { series: { name: string; data: number[][] }[] };
    expect(loss.series.map((s) => s.name)).toEqual(['training loss', 'validation loss']);
    expect(loss.series[0]!.data).toEqual([[50, 0.69], [100, 0.6], [150, 0.5], [200, 0.45]]);
    expect(loss.series[1]!.data).toEqual([[100, 0.58], [200, 0.5]]);
    const validation = getInstanceByDom(valEl)!.getOption() as { series: { data: number[][] }[] };
    expect(validation.series[0]!.data).toEqual([[1, 0.7], [2, 0.78]]);
    expect(validation.series[1]!.data).toEqual([[1, 0.41], [2, 0.56]]);
    expect(wrapper.find(byId('train-resume')).exists()).toBe(false);

    fake.transport.emit(
      'job:update',
      trainJob({ state: 'done', status: 'cancelled', params, finishedAt: '2025-01-16T09:05:00.000Z' }, { step: 200, total: 400, fraction: 0.5 }),
    );
    await flushPromises();
    expect(wrapper.find(byId('train-cancel')).exists()).toBe(false);
    expect(wrapper.get(byId('train-cancelled')).text()).toContain('last saved checkpoint');
    await wrapper.get(byId('train-resume')).trigger('click');
    await flushPromises();
    expect(trainStarts(fake).at(-1)).toEqual({ kind: 'train', params: { resumeRunId: 5 } });
    expect(wrapper.get(byId('train-live')).attributes('data-state')).toBe('queued');
  });

  it('opens the run page when the job succeeds', async () => {
    const { wrapper, fake } = await openTrain({ 'runs:get': ({ id }) => runDetail({ id }) });
    await afterPreflight();
    await wrapper.get(byId('train-start')).trigger('click');
    await flushPromises();
    fake.transport.emit('job:update', trainJob({ state: 'done', status: 'success', result: runSummary() }, { step: 1200, fraction: 1 }));
    await flushPromises();
    expect(fake.transport.callsTo('runs:get')).toEqual([{ id: 5 }]);
    expect(wrapper.get(byId('run-name')).text()).toBe('CNN on promoters');
  });
});

describe('runs and the run page', () => {
  it('lists runs and shows a run with its settings, test metrics, per-class rows, curves and confusion matrix', async () => {
    const { wrapper, fake } = await openTrain({
      'runs:list': () => [runSummary(), runSummary({ id: 6, name: 'BERT on promoters', architecture: 'bert', status: 'cancelled', test: null })],
      'runs:get': ({ id }) => runDetail({ id }),
    });
    await wrapper.get(byId('train-tab-runs')).trigger('click');
    const rows = wrapper.findAll(byId('run-row'));
    expect(rows.map((r) => r.get(byId('run-open')).text())).toEqual(['BERT on promoters', 'CNN on promoters']);
    expect(rows[1]!.get(byId('run-row-accuracy')).text()).toBe('0.861');
    expect(rows[0]!.get(byId('run-row-accuracy')).text()).toBe('–');

    await rows[1]!.get(byId('run-open')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('runs:get')).toEqual([{ id: 5 }]);
    expect(wrapper.get(byId('run-seed')).text()).toBe('7');
    expect(wrapper.get(byId('run-backend')).text()).toBe('tfjs-node, 8 threads');
    const settings = wrapper.get(byId('run-settings')).text();
    expect(settings).toContain('CNN baseline');
    expect(settings).toContain('Learning rate1e-3');
    expect(settings).toContain('Early stoppingoff');
    expect(wrapper.get(byId('run-test-accuracy')).text()).toBe('0.861');
    expect(wrapper.get(byId('run-test-mcc')).text()).toBe('0.720');
    expect(wrapper.get(byId('run-test-roc-auc')).text()).toBe('0.930');
    expect(wrapper.get(`${byId('run-per-class')} tr[data-class="promoter"]`).text()).toContain('0.900');
    const confusion = wrapper.get(byId('run-confusion'));
    expect(confusion.get('tr[data-actual="background"] td[data-predicted="promoter"]').text()).toBe('9');
    expect(confusion.get('tr[data-actual="promoter"] td[data-predicted="promoter"]').text()).toBe('45');
    expect(wrapper.findAll(byId('run-history-row'))).toHaveLength(3);
    expect(wrapper.find(byId('run-resume')).exists()).toBe(false);
    expect(wrapper.find(byId('run-published')).exists()).toBe(false);

    const rocEl = await vi.waitFor(() => wrapper.get(byId('run-roc')).element as HTMLElement, { timeout: 10_000 });
    expect(wrapper.find(byId('run-pr')).exists()).toBe(true);
    expect(wrapper.find(byId('run-chart-loss')).exists()).toBe(true);
    await flushPromises();
    const roc = getInstanceByDom(rocEl)!;
    expect((roc.getOption() as { series: { data: number[][] }[] }).series[0]!.data).toEqual([[0, 0], [0.1, 0.7], [0.3, 0.9], [1, 1]]);

    await wrapper.get(byId('run-back')).trigger('click');
    expect(roc.isDisposed()).toBe(true);
    expect(wrapper.find(byId('run-list')).exists()).toBe(true);
  });

  it('shows published numbers for a shared benchmark dataset, with the re-split caveat, and resumes a resumable run', async () => {
    const gb = datasetSummary({ id: 4, name: 'nontata', sources: [{ path: '/shared/data/gb_human_nontata_promoters/train.csv.gz', bytes: 1 }] });
    const { wrapper, fake } = await openTrain({
      'datasets:list': () => [gb],
      'runs:list': () => [runSummary({ datasetId: 4, datasetName: 'nontata', status: 'cancelled' })],
      'runs:get': ({ id }) => runDetail({ id, datasetId: 4, datasetName: 'nontata', status: 'cancelled', resumable: true }),
    });
    await wrapper.get(byId('train-tab-runs')).trigger('click');
    await wrapper.get(byId('run-open')).trigger('click');
    await flushPromises();
    const published = wrapper.get(byId('run-published'));
    expect(published.get(byId('run-published-yours')).text()).toContain('86.1 (85.8)');
    expect(published.text()).toContain('CNN (PyTorch)');
    expect(published.text()).toContain('84.6 (83.7)');
    expect(published.get(byId('run-published-caveat')).text()).toContain('not the official splits');

    await wrapper.get(byId('run-resume')).trigger('click');
    await flushPromises();
    expect(trainStarts(fake)).toEqual([{ kind: 'train', params: { resumeRunId: 5 } }]);
    expect(wrapper.find(byId('train-live')).exists()).toBe(true);
  });

  it('asks before deleting a run and deletes only after confirming', async () => {
    const { wrapper, fake } = await openTrain({
      'runs:list': () => [runSummary()],
      'runs:delete': () => null,
    });
    await wrapper.get(byId('train-tab-runs')).trigger('click');
    await wrapper.get(byId('run-delete')).trigger('click');
    expect(wrapper.get(byId('run-delete-dialog-message')).text()).toContain('Delete the run “CNN on promoters” on promoters');
    await wrapper.get(byId('run-delete-dialog-cancel')).trigger('click');
    expect(wrapper.find(byId('run-delete-dialog')).exists()).toBe(false);
    expect(fake.transport.callsTo('runs:delete')).toEqual([]);

    await wrapper.get(byId('run-delete')).trigger('click');
    await wrapper.get(byId('run-delete-dialog-confirm')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('runs:delete')).toEqual([{ id: 5 }]);
    expect(wrapper.find(byId('run-delete-dialog')).exists()).toBe(false);
    expect(wrapper.find(byId('runs-empty')).exists()).toBe(true);
  });
});

describe('models page', () => {
  it('lists models, links to their run, asks before deleting, and follows models.onChanged', async () => {
    const { wrapper, fake } = await openTrain({
      'models:list': () => [modelSummary()],
      'models:delete': () => null,
      'runs:get': ({ id }) => runDetail({ id }),
    });
    await wrapper.get(byId('nav-models')).trigger('click');
    const row = wrapper.get(byId('model-row'));
    expect(row.text()).toContain('CNN promoters');
    expect(row.text()).toContain('classifier');
    expect(row.text()).toContain('465,000');
    expect(row.text()).toContain('1.9 MB');

    await row.get(byId('model-delete')).trigger('click');
    expect(wrapper.get(byId('model-delete-dialog-message')).text()).toContain('Delete the model “CNN promoters”');
    await wrapper.get(byId('model-delete-dialog-cancel')).trigger('click');
    expect(fake.transport.callsTo('models:delete')).toEqual([]);
    await wrapper.get(byId('model-delete')).trigger('click');
    await wrapper.get(byId('model-delete-dialog-confirm')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('models:delete')).toEqual([{ id: 11 }]);
    expect(wrapper.find(byId('models-empty')).exists()).toBe(true);

    fake.transport.emit('models:changed', [modelSummary({ id: 12, name: 'again' })]);
    await flushPromises();
    await wrapper.get(byId('model-run')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('runs:get')).toEqual([{ id: 5 }]);
    expect(wrapper.find(byId('view-run')).exists()).toBe(true);
  });
});

describe('compare', () => {
  it('shows mean ± sd per metric and arm, and starts a comparison with the chosen arms and settings', async () => {
    const { wrapper, fake } = await openTrain({
      'compare:list': () => [compareSummary()],
      'models:list': () => [modelSummary({ id: 9, name: 'pre', architecture: 'bert', role: 'pretrained', runId: null })],
      'jobs:start': () => job({ id: 50, kind: 'compare', title: 'Compare models', state: 'queued' }),
    });
    await wrapper.get(byId('train-tab-compare')).trigger('click');
    await wrapper.get(byId('compare-open')).trigger('click');
    await flushPromises();
    const table = wrapper.get(byId('compare-table'));
    expect(table.get('tr[data-metric="accuracy"] td[data-arm="cnn"]').text()).toBe('0.861 ± 0.012 (n = 3)');
    expect(table.get('tr[data-metric="mcc"] td[data-arm="bert-random"]').text()).toBe('0.604 ± 0.060 (n = 3)');
    expect(wrapper.findAll(byId('compare-run-link'))).toHaveLength(6);
    const chartEl = await vi.waitFor(() => wrapper.get(byId('compare-chart')).element as HTMLElement, { timeout: 10_000 });
    await flushPromises();
    const option = getInstanceByDom(chartEl)!.getOption() as { series: { type: string; data: unknown[] }[] };
    expect(option.series.map((s) => s.type)).toEqual(['bar', 'bar', 'custom', 'custom']);
    expect(option.series[0]!.data).toEqual([0.861, 0.722]);

    await wrapper.get(byId('compare-arm-bert-pretrained')).setValue(true);
    await wrapper.get(byId('compare-repeats')).setValue('5');
    await wrapper.get(byId('compare-cnn-epochs')).setValue('4');
    await wrapper.get(byId('compare-start')).trigger('click');
    await flushPromises();
    const expected: CompareSettings = {
      datasetId: 1,
      arms: ['cnn', 'bert-random', 'bert-pretrained'],
      pretrainedModelId: 9,
      repeats: 5,
      seed: 1,
      cnn: { epochs: 4, batchSize: 64, learningRate: 0.001 },
      bert: { epochs: 5, batchSize: 32, learningRate: 0.0001, model: { architecture: 'bert', preset: 'cpu-quick', k: 6 } },
    };
    expect(fake.transport.callsTo('jobs:start')).toEqual([{ kind: 'compare', params: expected }]);
    expect(wrapper.find(byId('compare-progress-panel')).exists()).toBe(true);
  });
});

describe('published numbers', () => {
  it('recognises shared datasets by name or import path, and trusts short GUE task names only after "gue"', () => {
    expect(publishedFor({ name: 'gb_human_ocr_ensembl_toy', sources: [] })?.entries[0]).toEqual({ model: 'CNN (PyTorch)', value: 68, f1: 66.1 });
    const gue = publishedFor({ name: 'my tf', sources: [], options: { paths: ['/x/shared/data/gue_tf_1'] } });
    expect(gue?.metric).toBe('mcc');
    expect(gue?.entries.map((e) => e.value)).toEqual([70.14, 70.9, 70.28, 76.06]);
    expect(gue?.caveat).toBeNull();
    expect(publishedFor({ name: 'tf_1 peaks', sources: [] })).toBeNull();
    expect(publishedFor({ name: 'promoters', sources: [{ path: '/data/promoters.csv' }] })).toBeNull();
  });
});
