import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { getInstanceByDom } from 'echarts/core';
import App from '../../src-renderer/App.vue';
import { PREFLIGHT_DEBOUNCE_MS } from '../../src-renderer/lib/training';
import { useJobsStore } from '../../src-renderer/stores/jobs';
import type { JobStartRequest } from '../../src-shared/api/channels';
import type { JobDto } from '../../src-shared/api/dto';
import type { AblationSettings, PretrainSettings } from '../../src-shared/api/pretraining';
import { ApiError } from '../../src-shared/api/errors';
import {
  ablationSummary,
  datasetSummary,
  installFakeApi,
  job,
  maskSchedule,
  modelSummary,
  pretrainPreflight,
  pretrainSettings,
  pretrainSummary,
  projectSummary,
  type FakeApi,
  type Handlers,
} from './fake-api';

const byId = (id: string): string => `[data-testid="${id}"]`;
let mounted: VueWrapper | null = null;

function pretrainJob(overrides: Partial<JobDto> = {}, progress: Partial<JobDto['progress']> = {}): JobDto {
  return job({ id: 60, kind: 'pretrain', title: 'Pretrain a BERT', state: 'queued', ...overrides }, { total: 100, ...progress });
}

async function openPretrain(handlers: Handlers = {}): Promise<{ wrapper: VueWrapper; fake: FakeApi }> {
  const pinia = createPinia();
  setActivePinia(pinia);
  const fake = installFakeApi({
    'project:current': () => projectSummary(),
    'datasets:list': () => [datasetSummary()],
    'pretrain:preflight': () => pretrainPreflight(),
    'jobs:start': (request) => pretrainJob({ params: request.params as unknown as JobDto['params'] }),
    ...handlers,
  });
  const wrapper = mount(App, { global: { plugins: [pinia] }, attachTo: document.body });
  mounted = wrapper;
  await flushPromises();
  await wrapper.get(byId('nav-pretrain')).trigger('click');
  await flushPromises();
  return { wrapper, fake };
}

async function afterPreflight(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, PREFLIGHT_DEBOUNCE_MS + 50));
  await flushPromises();
}

/** Fills the form with the tiny run of `pretrainSettings()`: chr2 region, 2 x 32 BERT, 100 steps. */
async function fillTinyRun(wrapper: VueWrapper): Promise<void> {
  await wrapper.get(byId('pretrain-region')).setValue('chr2:1,000,001-1,020,000');
  await wrapper.get(byId('pretrain-window')).setValue('128');
  await wrapper.get(byId('pretrain-stride')).setValue('64');
  await wrapper.get(byId('pretrain-model-custom')).setValue(true);
  await wrapper.get(byId('pretrain-layers')).setValue('2');
  await wrapper.get(byId('pretrain-hidden')).setValue('32');
  await wrapper.get(byId('pretrain-heads')).setValue('2');
  await wrapper.get(byId('pretrain-intermediate')).setValue('64');
  await wrapper.get(byId('pretrain-steps')).setValue('100');
  await wrapper.get(byId('pretrain-batch-size')).setValue('16');
  await wrapper.get(byId('pretrain-learning-rate')).setValue('0.0005');
  await wrapper.get(byId('pretrain-eval-every')).setValue('20');
}

function lastPreflight(fake: FakeApi): PretrainSettings {
  return (fake.transport.callsTo('pretrain:preflight').at(-1) as { settings: PretrainSettings }).settings;
}

function starts(fake: FakeApi, kind: string): JobStartRequest[] {
  return (fake.transport.callsTo('jobs:start') as JobStartRequest[]).filter((r) => r.kind === kind);
}

type ChartOption = { series: { name: string; data: number[][]; markLine?: { data: { xAxis: number; name: string }[] } }[] };

async function chartOption(wrapper: VueWrapper, testid: string): Promise<ChartOption> {
  const el = await vi.waitFor(() => wrapper.get(byId(testid)).element as HTMLElement, { timeout: 10_000 });
  await flushPromises();
  return getInstanceByDom(el)!.getOption() as unknown as ChartOption;
}

beforeEach(() => {
  document.body.innerHTML = '';
});

afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

describe('pretrain form', () => {
  it('sends the corpus region 0-based, the model and the budget chosen, and draws the schedule before the start', async () => {
    const { wrapper, fake } = await openPretrain();
    expect(wrapper.get(byId('pretrain-corpus-kind')).attributes('data-value')).toBe('fasta');
    expect(wrapper.get(byId('pretrain-masking')).attributes('data-value')).toBe('randommask');
    await fillTinyRun(wrapper);
    expect(wrapper.get(byId('pretrain-region-help')).text()).toContain('20,000 bases');
    await afterPreflight();

    expect(lastPreflight(fake)).toEqual(pretrainSettings());
    expect(wrapper.get(byId('pretrain-preflight')).attributes('data-state')).toBe('fits');
    expect(wrapper.get(byId('pretrain-preflight-corpus')).text()).toContain('620 windows');
    // The schedule of the pre-flight, drawn as staircases: the longest span grows by 2 per phase, the rate stays.
    const schedule = await chartOption(wrapper, 'pretrain-schedule-chart');
    const longest = schedule.series.find((s) => s.name === 'longest span')!;
    expect(longest.data).toEqual([[0, 6], [20, 8], [40, 10], [60, 12], [80, 14], [100, 14]]);
    expect(schedule.series.find((s) => s.name === 'shortest span')!.data.map((p) => p[1])).toEqual([6, 6, 6, 6, 6, 6]);
    expect(schedule.series.find((s) => s.name === 'masked %')!.data.map((p) => p[1])).toEqual([15, 15, 15, 15, 15, 15]);
    expect(wrapper.findAll(`${byId('pretrain-schedule')} li`).map((li) => li.text())[1]).toBe('Phase 2: steps 20–39, spans of 6 to 8 tokens, 15% masked');

    await wrapper.get(byId('pretrain-start')).trigger('click');
    await flushPromises();
    expect(starts(fake, 'pretrain')).toEqual([{ kind: 'pretrain', params: { settings: pretrainSettings() } }]);
    expect(wrapper.find(byId('pretrain-live')).exists()).toBe(true);
  });

  it('turns NGSP and sequence-region matching on with their parameters, and plain masking off the curriculum', async () => {
    const { wrapper, fake } = await openPretrain();
    await fillTinyRun(wrapper);
    expect(wrapper.find(byId('pretrain-srm-settings')).exists()).toBe(false);
    await wrapper.get(byId('pretrain-ngsp')).setValue(true);
    await wrapper.get(byId('pretrain-srm')).setValue(true);
    await wrapper.get(byId('pretrain-srm-lambda')).setValue('0.25');
    await wrapper.get(byId('pretrain-temperature')).setValue('0.1');
    await wrapper.get(byId('pretrain-learnable-temperature')).setValue(false);
    await wrapper.get(byId('pretrain-scoring')).setValue('sum');
    await wrapper.get(byId('pretrain-final-rate')).setValue('20');
    await afterPreflight();
    expect(lastPreflight(fake).objectives).toEqual({
      masking: 'randommask',
      randomMask: { minSpan: 6, phases: 5, growth: 2, rate: 0.15, finalRate: 0.2 },
      ngsp: true,
      srm: true,
      srmLambda: 0.25,
      temperature: { learnable: false, initial: 0.1 },
      regionGroup: 10,
      motifs: { scoring: 'sum', background: 'uniform' },
    });

    await wrapper.get(byId('pretrain-masking-plain')).setValue(true);
    await wrapper.get(byId('pretrain-srm')).setValue(false);
    expect(wrapper.find(byId('pretrain-randommask')).exists()).toBe(false);
    await afterPreflight();
    expect(lastPreflight(fake).objectives).toEqual({ masking: 'plain', ngsp: true, srm: false });
  });

  it('pretrains on a dataset of the project (labels ignored) or on BED regions over a reference', async () => {
    const { wrapper, fake } = await openPretrain();
    await wrapper.get(byId('pretrain-corpus-kind-dataset')).setValue(true);
    expect((wrapper.get(byId('pretrain-dataset')).element as HTMLSelectElement).value).toBe('1');
    expect(wrapper.find(byId('pretrain-both-strands')).exists()).toBe(false);
    await afterPreflight();
    expect(lastPreflight(fake).corpus).toEqual({ kind: 'dataset', datasetId: 1, window: 128, stride: 64 });

    await wrapper.get(byId('pretrain-corpus-kind-bed')).setValue(true);
    await wrapper.get(byId('pretrain-bed-path')).setValue('/data/atac_peaks.bed');
    expect(wrapper.find(byId('pretrain-stride')).exists()).toBe(false);
    await afterPreflight();
    expect(lastPreflight(fake).corpus).toEqual({
      kind: 'bed',
      bedPath: '/data/atac_peaks.bed',
      referencePath: 'resources/data/reference_hg38_chr2_1-2333275/chr2_1-2333275.fa.gz',
      window: 128,
      bothStrands: true,
    });
  });

  it('refuses a wrong region or numbers with a sentence, and asks for no estimate meanwhile', async () => {
    const { wrapper, fake } = await openPretrain();
    await afterPreflight();
    const asked = fake.transport.callsTo('pretrain:preflight').length;

    await wrapper.get(byId('pretrain-region')).setValue('chr2:0-100');
    expect(wrapper.get(byId('pretrain-region-error')).text()).toContain('1-based');
    await wrapper.get(byId('pretrain-region')).setValue('chr2 from 5 to 9');
    expect(wrapper.get(byId('pretrain-region-error')).text()).toContain('write it as chr2:1000001-1100000');
    await wrapper.get(byId('pretrain-region')).setValue('chr2:500-100');
    expect(wrapper.get(byId('pretrain-region-error')).text()).toBe("The region's end (100) must not be before its start (500).");
    await wrapper.get(byId('pretrain-window')).setValue('600');
    await wrapper.get(byId('pretrain-phases')).setValue('0');
    await wrapper.get(byId('pretrain-learning-rate')).setValue('');
    await afterPreflight();

    expect(wrapper.get(byId('pretrain-preflight')).attributes('data-state')).toBe('blocked');
    const problems = wrapper.findAll(`${byId('pretrain-problems')} li`).map((li) => li.text());
    expect(problems).toEqual([
      "A window of 600 bases does not fit BERT's 512 tokens with 6-mers: use at most 515.",
      "The region's end (100) must not be before its start (500).",
      'RandomMask: there must be at least 1 phase.',
      'The learning rate must be above 0.',
    ]);
    expect(wrapper.get(byId('pretrain-start')).attributes('disabled')).toBeDefined();
    expect(fake.transport.callsTo('pretrain:preflight')).toHaveLength(asked);
  });

  it('puts the paper-scale settings in place, and does not start what the pre-flight says does not fit', async () => {
    const { wrapper, fake } = await openPretrain({
      'pretrain:preflight': ({ settings }) =>
        settings.model.preset === 'paper'
          ? pretrainPreflight({ fits: false, memoryBytes: 90e9, advice: 'This needs about 90 GB; choose CPU quick or a custom size.' })
          : pretrainPreflight(),
    });
    expect(wrapper.get(byId('pretrain-preset')).attributes('data-value')).toBe('cpu-quick');
    await wrapper.get(byId('pretrain-preset-paper')).setValue(true);
    await afterPreflight();
    const sent = lastPreflight(fake);
    expect(sent).toMatchObject({ model: { preset: 'paper', k: 6 }, steps: 120_000, batchSize: 2000, learningRate: 0.0004 });
    expect(sent.objectives.randomMask).toEqual({ minSpan: 6, phases: 5, growth: 2, rate: 0.15, finalRate: 0.2 });
    expect(wrapper.get(byId('pretrain-preflight')).attributes('data-state')).toBe('too-big');
    expect(wrapper.get(byId('pretrain-preflight-advice')).text()).toContain('90 GB');
    expect(wrapper.get(byId('pretrain-start')).attributes('disabled')).toBeDefined();
    // Changing one number leaves the preset.
    await wrapper.get(byId('pretrain-steps')).setValue('500');
    expect(wrapper.get(byId('pretrain-preset')).attributes('data-value')).toBe('own');
  });

  it("shows the service's sentence when the corpus cannot be read, and keeps Start off", async () => {
    const message = 'resources/data/missing.fa.gz: no such file. Check the path, or use the bundled chr2 region.';
    const { wrapper } = await openPretrain({
      'pretrain:preflight': () => {
        throw new ApiError('INVALID_REQUEST', message);
      },
    });
    await afterPreflight();
    expect(wrapper.get(byId('pretrain-preflight')).attributes('data-state')).toBe('error');
    expect(wrapper.get(byId('pretrain-preflight-error')).text()).toBe(message);
    expect(wrapper.get(byId('pretrain-start')).attributes('disabled')).toBeDefined();
  });
});

describe('pretrain live view', () => {
  it('charts each loss that is on, training and validation, with a mark where each phase begins; then resumes', async () => {
    const settings = pretrainSettings({ objectives: { ...pretrainSettings().objectives, ngsp: true } });
    const { wrapper, fake } = await openPretrain({
      'jobs:start': (request) =>
        'resumeRunId' in (request.params as object)
          ? pretrainJob({ id: 61, params: request.params as unknown as JobDto['params'] })
          : pretrainJob({ params: { ...(request.params as object), runId: 7 } }),
    });
    const jobs = useJobsStore();
    const frames: (() => void)[] = [];
    jobs.setFrameScheduler((cb) => frames.push(cb));
    await fillTinyRun(wrapper);
    await wrapper.get(byId('pretrain-ngsp')).setValue(true);
    await afterPreflight();
    await wrapper.get(byId('pretrain-start')).trigger('click');
    await flushPromises();

    // As the service prepares them for the worker: the run id and the job description with the settings.
    const params = { job: { runId: 7, settings }, runId: 7, name: 'RandomMask + NGSP on chr2' };
    const update = (step: number, metrics: Record<string, number>): void =>
      fake.transport.emit(
        'job:update',
        pretrainJob({ state: 'running', params }, { step, total: 100, fraction: step / 100, etaSeconds: 30, message: `Step ${step}/100`, metrics }),
      );
    update(10, { mlm: 8.3, ngsp: 0.7, total: 9.0 });
    update(20, { mlm: 8.1, ngsp: 0.69, total: 8.79, valMlm: 8.2, valNgsp: 0.7, valTotal: 8.9, ngspAccuracy: 0.5 });
    update(30, { mlm: 7.9, ngsp: 0.66, total: 8.56 });
    while (frames.length > 0) frames.shift()!();
    await flushPromises();

    expect(wrapper.get(byId('pretrain-progress')).attributes('data-percent')).toBe('30');
    expect(wrapper.get(byId('pretrain-eta')).text()).toBe('about 30 s left');
    expect(wrapper.findAll(byId('pretrain-loss')).map((c) => c.attributes('data-loss'))).toEqual(['mlm', 'ngsp', 'total']);
    const mlm = await chartOption(wrapper, 'pretrain-chart-mlm');
    expect(mlm.series[0]!.name).toBe('training');
    expect(mlm.series[0]!.data).toEqual([[10, 8.3], [20, 8.1], [30, 7.9]]);
    expect(mlm.series[1]!.data).toEqual([[20, 8.2]]);
    // The phase boundaries of the schedule the pre-flight drew: phases 2..5 begin at steps 20, 40, 60, 80.
    const marks = mlm.series.find((s) => s.name === 'phases')!.markLine!.data;
    expect(marks.map((m) => [m.xAxis, m.name])).toEqual([[20, 'phase 2'], [40, 'phase 3'], [60, 'phase 4'], [80, 'phase 5']]);
    const ngsp = await chartOption(wrapper, 'pretrain-chart-ngsp');
    expect(ngsp.series[0]!.data).toEqual([[10, 0.7], [20, 0.69], [30, 0.66]]);

    fake.transport.emit('job:update', pretrainJob({ state: 'done', status: 'cancelled', params }, { step: 30, total: 100, fraction: 0.3 }));
    await flushPromises();
    expect(wrapper.find(byId('pretrain-cancel')).exists()).toBe(false);
    expect(wrapper.get(byId('pretrain-cancelled')).text()).toContain('last checkpoint');
    await wrapper.get(byId('pretrain-resume')).trigger('click');
    await flushPromises();
    expect(starts(fake, 'pretrain').at(-1)).toEqual({ kind: 'pretrain', params: { resumeRunId: 7 } });
    expect(wrapper.get(byId('pretrain-live')).attributes('data-state')).toBe('queued');
  });

  it('opens the run page when the job succeeds; Fine-tune opens Train with the model and its sizes chosen', async () => {
    const run = pretrainSummary();
    const { wrapper, fake } = await openPretrain({
      'pretrain:get': () => run,
      'models:list': () => [modelSummary(), modelSummary({ id: 31, name: 'RandomMask chr2', architecture: 'bert', role: 'pretrained', runId: null })],
    });
    await afterPreflight();
    await wrapper.get(byId('pretrain-start')).trigger('click');
    await flushPromises();
    fake.transport.emit('job:update', pretrainJob({ state: 'done', status: 'success', result: run }, { step: 100, fraction: 1 }));
    await flushPromises();

    expect(wrapper.get(byId('pretrain-run-name')).text()).toBe('RandomMask on chr2');
    expect(wrapper.get(byId('pretrain-run-steps')).text()).toBe('100 of 100 done');
    expect(wrapper.get(byId('pretrain-run-corpus')).text()).toContain('620 windows');
    expect(wrapper.get(byId('pretrain-run-hash')).text()).toContain('c0ffeec0ffeec0ff');
    expect(wrapper.get(byId('pretrain-run-settings')).text()).toContain('chr2:1,000,001-1,020,000');
    const total = await chartOption(wrapper, 'pretrain-chart-total');
    expect(total.series[0]!.data).toHaveLength(5);
    expect(total.series[1]!.data).toHaveLength(5);
    expect(wrapper.get(byId('pretrain-run-model')).text()).toContain('RandomMask chr2');

    await wrapper.get(byId('pretrain-fine-tune')).trigger('click');
    await flushPromises();
    expect(wrapper.find(byId('view-train')).exists()).toBe(true);
    expect(wrapper.get(byId('train-model')).attributes('data-value')).toBe('bert');
    expect(wrapper.get(byId('train-init')).attributes('data-value')).toBe('model');
    expect((wrapper.get(byId('train-pretrained')).element as HTMLSelectElement).value).toBe('31');
    expect(wrapper.get(byId('train-preset')).attributes('data-value')).toBe('custom');
    expect((wrapper.get(byId('train-layers')).element as HTMLInputElement).value).toBe('2');
    expect((wrapper.get(byId('train-hidden')).element as HTMLInputElement).value).toBe('32');
  });
});

describe('ablation', () => {
  it('sends the chosen combinations with the shared corpus and budget, then shows mean ± sd per arm', async () => {
    const summary = ablationSummary();
    const { wrapper, fake } = await openPretrain({
      'jobs:start': (request) => job({ id: 70, kind: 'ablation', title: 'Ablation', state: 'queued', params: request.params as unknown as JobDto['params'] }),
      'ablation:list': () => [],
    });
    await fillTinyRun(wrapper);
    await wrapper.get(byId('pretrain-tab-ablation')).trigger('click');
    await flushPromises();
    // The corpus and the budget are those of the New run tab.
    expect((wrapper.get(byId('pretrain-steps')).element as HTMLInputElement).value).toBe('100');
    await wrapper.get(byId('ablation-arm-mgm-ngsp')).setValue(false);
    await wrapper.get(byId('ablation-arm-mgm-ngsp-srm')).setValue(false);
    await wrapper.get(byId('ablation-repeats')).setValue('1');
    expect(wrapper.get(byId('ablation-problems')).text()).toContain('At least 2 repeats');
    await wrapper.get(byId('ablation-repeats')).setValue('3');
    expect(wrapper.get(byId('ablation-start')).text()).toBe('Pretrain 2 and fine-tune 9 models');
    await wrapper.get(byId('ablation-start')).trigger('click');
    await flushPromises();

    const sent = starts(fake, 'ablation')[0]!.params as AblationSettings;
    const { objectives: _o, ...shared } = pretrainSettings();
    expect(sent).toEqual({
      pretrain: shared,
      arms: [
        { label: 'MGM', objectives: { masking: 'plain', ngsp: false, srm: false } },
        { label: 'RandomMask', objectives: { masking: 'randommask', randomMask: { minSpan: 6, phases: 5, growth: 2, rate: 0.15 }, ngsp: false, srm: false } },
      ],
      datasetId: 1,
      repeats: 3,
      fineTune: { epochs: 3, batchSize: 32, learningRate: 0.0001 },
    });

    fake.transport.emit('job:update', job({ id: 70, kind: 'ablation', title: 'Ablation', state: 'done', status: 'success', result: summary }));
    await flushPromises();
    const rows = wrapper.findAll(byId('ablation-row'));
    expect(rows.map((r) => r.attributes('data-arm'))).toEqual(['BERT from random weights', 'MGM', 'RandomMask']);
    expect(rows.map((r) => r.get(byId('ablation-mcc')).text())).toEqual(['0.310 ± 0.050', '0.402 ± 0.030', '0.451 ± 0.021']);
    expect(rows[2]!.get(byId('ablation-accuracy')).text()).toBe('0.725 ± 0.010');
    expect(rows[2]!.text()).toContain('RandomMask curriculum');
    expect(rows[2]!.text()).toContain('pretraining 9 (RandomMask)');
    expect(rows[0]!.text()).toContain('no pretraining');
    const chart = await chartOption(wrapper, 'ablation-chart');
    expect(chart.series.filter((s) => (s as unknown as { type: string }).type === 'bar').map((s) => s.name)).toEqual([
      'BERT from random weights',
      'MGM',
      'RandomMask',
    ]);
  });

  it('shows the result of an ablation that finished while the user was on another page', async () => {
    let finished = false;
    const { wrapper, fake } = await openPretrain({
      'ablation:list': () => (finished ? [ablationSummary()] : []),
      'jobs:start': (request) => job({ id: 71, kind: 'ablation', title: 'Ablation', state: 'queued', params: request.params as unknown as JobDto['params'] }),
    });
    await fillTinyRun(wrapper);
    await wrapper.get(byId('pretrain-tab-ablation')).trigger('click');
    await wrapper.get(byId('ablation-start')).trigger('click');
    await flushPromises();
    expect(wrapper.find(byId('ablation-progress')).exists()).toBe(true);
    await wrapper.get(byId('nav-train')).trigger('click');
    await flushPromises();
    expect(wrapper.find(byId('view-pretrain')).exists()).toBe(false);
    finished = true;
    fake.transport.emit('job:update', job({ id: 71, kind: 'ablation', title: 'Ablation', state: 'done', status: 'success', result: ablationSummary() }));
    await flushPromises();
    await wrapper.get(byId('nav-pretrain')).trigger('click');
    await flushPromises();
    expect(wrapper.findAll(byId('ablation-row'))).toHaveLength(3);
    expect(wrapper.findAll(byId('ablation-list-row'))).toHaveLength(1);
  });

  it('lists past ablations and opens one', async () => {
    const { wrapper } = await openPretrain({ 'ablation:list': () => [ablationSummary()] });
    await wrapper.get(byId('pretrain-tab-ablation')).trigger('click');
    await flushPromises();
    expect(wrapper.find(byId('ablation-result')).exists()).toBe(false);
    await wrapper.get(byId('ablation-open')).trigger('click');
    await flushPromises();
    expect(wrapper.findAll(byId('ablation-row'))).toHaveLength(3);
  });
});

describe('compare result with several pretrained arms', () => {
  it('shows one column per labelled arm when the ablation opens its comparison', async () => {
    const summary = ablationSummary();
    const { wrapper } = await openPretrain({ 'ablation:list': () => [summary], 'compare:list': () => [summary.compare!] });
    await wrapper.get(byId('pretrain-tab-ablation')).trigger('click');
    await wrapper.get(byId('ablation-open')).trigger('click');
    await flushPromises();
    await wrapper.get(byId('ablation-open-compare')).trigger('click');
    await flushPromises();
    expect(wrapper.find(byId('view-train')).exists()).toBe(true);
    const table = wrapper.get(byId('compare-table'));
    expect(table.findAll('thead th').map((th) => th.text())).toEqual(['Metric', 'BERT from random weights', 'pretraining 8 (MLM)', 'pretraining 9 (RandomMask)']);
    expect(table.get('tr[data-metric="mcc"] td[data-label="pretraining 9 (RandomMask)"]').text()).toBe('0.451 ± 0.021 (n = 3)');
    expect(table.get('tr[data-metric="mcc"] td[data-label="pretraining 8 (MLM)"]').attributes('data-arm')).toBe('bert-pretrained');
  });
});

describe('compare view with a model pretrained here', () => {
  it('gives BERT from random weights the pretrained model\'s size and k, and sends both arms', async () => {
    const { wrapper, fake } = await openPretrain({
      'pretrain:list': () => [pretrainSummary()],
      'models:list': () => [modelSummary({ id: 31, name: 'RandomMask chr2', architecture: 'bert', role: 'pretrained', runId: null })],
      'jobs:start': (request) => job({ id: 80, kind: 'compare', title: 'Compare', state: 'queued', params: request.params as unknown as JobDto['params'] }),
    });
    await wrapper.get(byId('nav-train')).trigger('click');
    await wrapper.get(byId('train-tab-compare')).trigger('click');
    await flushPromises();
    await wrapper.get(byId('compare-arm-cnn')).setValue(false);
    await wrapper.get(byId('compare-arm-bert-pretrained')).setValue(true);
    await flushPromises();
    expect((wrapper.get(byId('compare-bert-preset')).element as HTMLSelectElement).value).toBe('custom');
    expect((wrapper.get(byId('compare-bert-hidden')).element as HTMLInputElement).value).toBe('32');
    await wrapper.get(byId('compare-repeats')).setValue('2');
    await wrapper.get(byId('compare-start')).trigger('click');
    await flushPromises();
    const sent = starts(fake, 'compare')[0]!.params as { arms: string[]; pretrainedModelId: number; bert: { model: unknown } };
    expect(sent.arms).toEqual(['bert-random', 'bert-pretrained']);
    expect(sent.pretrainedModelId).toBe(31);
    expect(sent.bert.model).toEqual({ architecture: 'bert', preset: 'custom', layers: 2, hidden: 32, heads: 2, intermediate: 64, k: 6 });
  });
});

describe('schedule helpers', () => {
  it('draws nothing and marks nothing for plain masking (one phase from step 0)', async () => {
    const { phaseMarks, scheduleLines } = await import('../../src-renderer/lib/pretrain-charts');
    const plain = [{ phase: 0, fromStep: 0, toStep: 100, minSpan: 6, maxSpan: 6, rate: 0.15 }];
    expect(phaseMarks(plain)).toEqual([]);
    expect(scheduleLines(plain).maxSpan).toEqual([[0, 6], [100, 6]]);
    expect(phaseMarks(maskSchedule(1000, 4)).map((m) => m.x)).toEqual([250, 500, 750]);
  });
});
