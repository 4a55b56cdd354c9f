import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import App from '../../src-renderer/App.vue';
import { ApiError } from '../../src-shared/api/errors';
import {
  installFakeApi,
  modelSummary,
  projectSummary,
  reportRecord,
  runDetail,
  runSummary,
  scanDetail,
  type FakeApi,
  type Handlers,
} from './fake-api';

const byId = (id: string): string => `[data-testid="${id}"]`;
let mounted: VueWrapper | null = null;

async function openApp(handlers: Handlers = {}, nativeDialogs = false): Promise<{ wrapper: VueWrapper; fake: FakeApi }> {
  const pinia = createPinia();
  setActivePinia(pinia);
  const fake = installFakeApi({ 'project:current': () => projectSummary(), 'models:list': () => [modelSummary()], ...handlers }, { nativeDialogs });
  const wrapper = mount(App, { global: { plugins: [pinia] }, attachTo: document.body });
  mounted = wrapper;
  await flushPromises();
  return { wrapper, fake };
}

beforeEach(() => {
  document.body.innerHTML = '';
});

afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

describe('Reports page', () => {
  it('lists written reports, follows reports.onChanged, and writes a PDF of a chosen run or scan', async () => {
    const { wrapper, fake } = await openApp({
      'runs:list': () => [runSummary(), runSummary({ id: 6, name: 'cancelled run', status: 'cancelled' })],
      'predictions:list': () => [scanDetail()],
      'reports:list': () => [reportRecord()],
      'reports:pdf': ({ path }) => ({ path, bytes: 120_000, count: 4 }),
    });
    await wrapper.get(byId('nav-reports')).trigger('click');
    await flushPromises();
    expect(wrapper.findAll(byId('report-row'))).toHaveLength(1);
    expect(wrapper.get(byId('reports-table')).text()).toContain('Scan: chr2 scan');

    // Only finished runs can be reported on.
    const options = wrapper.get(byId('report-subject')).findAll('option').map((o) => o.text());
    expect(options).toEqual(['Choose a run, comparison or result…', 'Run #5: CNN on promoters', 'Scan: chr2 scan']);
    expect((wrapper.get(byId('report-pdf')).element as HTMLButtonElement).disabled).toBe(true);
    await wrapper.get(byId('report-subject')).setValue('run:5');
    await wrapper.get(byId('report-pdf')).trigger('click');
    // In the browser there is no Save dialog: the path is typed.
    expect(wrapper.find(byId('report-pdf-dialog-browse')).exists()).toBe(false);
    await wrapper.get(byId('report-pdf-dialog-path')).setValue('/reports/');
    expect(wrapper.get(byId('report-pdf-dialog')).text()).toContain('This is a folder; add a file name, e.g. CNN-on-promoters.pdf.');
    expect((wrapper.get(byId('report-pdf-dialog-submit')).element as HTMLButtonElement).disabled).toBe(true);
    await wrapper.get(byId('report-pdf-dialog-path')).setValue('/reports/run5.PDF');
    await wrapper.get(byId('report-pdf-dialog-submit')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('reports:pdf')).toEqual([{ subject: { kind: 'run', runId: 5 }, path: '/reports/run5.PDF' }]);
    expect(wrapper.get(byId('report-pdf-dialog-result')).text()).toContain('4 pages');

    fake.transport.emit('reports:changed', [reportRecord(), reportRecord({ path: '/reports/run5.PDF', title: 'Run: CNN on promoters', createdAt: '2025-01-20T10:00:00.000Z' })]);
    await flushPromises();
    expect(wrapper.findAll(byId('report-row')).map((r) => r.text())).toEqual([
      expect.stringContaining('Run: CNN on promoters'),
      expect.stringContaining('Scan: chr2 scan'),
    ]);
  });

  it('fills the path from the Save dialog under Electron', async () => {
    const { wrapper, fake } = await openApp(
      {
        'runs:list': () => [runSummary()],
        'dialog:chooseExportFile': ({ defaultName }) => `/home/alex/${defaultName}`,
        'reports:pdf': ({ path }) => ({ path, bytes: 1000, count: 1 }),
      },
      true,
    );
    await wrapper.get(byId('nav-reports')).trigger('click');
    await flushPromises();
    await wrapper.get(byId('report-subject')).setValue('run:5');
    await wrapper.get(byId('report-pdf')).trigger('click');
    await wrapper.get(byId('report-pdf-dialog-browse')).trigger('click');
    await flushPromises();
    expect((wrapper.get(byId('report-pdf-dialog-path')).element as HTMLInputElement).value).toBe('/home/alex/CNN-on-promoters.pdf');
    await wrapper.get(byId('report-pdf-dialog-submit')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('reports:pdf')).toEqual([{ subject: { kind: 'run', runId: 5 }, path: '/home/alex/CNN-on-promoters.pdf' }]);
  });
});

describe('reports from the run page and models', () => {
  it('offers a PDF report and the history CSV on a finished run’s page', async () => {
    const { wrapper, fake } = await openApp({
      'runs:list': () => [runSummary()],
      'runs:get': () => runDetail(),
      'reports:csv': ({ path }) => ({ path, bytes: 500, count: 3 }),
    });
    await wrapper.get(byId('nav-train')).trigger('click');
    await wrapper.get(byId('train-tab-runs')).trigger('click');
    await flushPromises();
    await wrapper.get(byId('run-open')).trigger('click');
    await flushPromises();
    expect(wrapper.find(byId('run-report-pdf')).exists()).toBe(true);
    await wrapper.get(byId('run-report-csv-history')).trigger('click');
    await wrapper.get(byId('run-report-csv-dialog-path')).setValue('/reports/history');
    await wrapper.get(byId('run-report-csv-dialog-submit')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('reports:csv')).toEqual([
      { table: { kind: 'run-history', runId: 5 }, path: '/reports/history.csv', options: { bom: false, delimiter: ',' } },
    ]);
  });

  it('exports a model as ONNX from the Models page and shows a refusal in the dialog', async () => {
    let refuse = true;
    const { wrapper, fake } = await openApp({
      'models:exportOnnx': ({ path }) => {
        if (refuse) throw new ApiError('INVALID_REQUEST', `${path} exists. Choose another name or delete it first.`);
        return { path, bytes: 1_900_000 };
      },
    });
    await wrapper.get(byId('nav-models')).trigger('click');
    await flushPromises();
    await wrapper.get(byId('model-export-onnx')).trigger('click');
    await wrapper.get(byId('model-onnx-dialog-path')).setValue('/models/cnn');
    await wrapper.get(byId('model-onnx-dialog-submit')).trigger('click');
    await flushPromises();
    expect(wrapper.get(byId('model-onnx-dialog-error')).text()).toContain('/models/cnn.onnx exists');
    refuse = false;
    await wrapper.get(byId('model-onnx-dialog-submit')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('models:exportOnnx')).toEqual([
      { id: 11, path: '/models/cnn.onnx' },
      { id: 11, path: '/models/cnn.onnx' },
    ]);
    expect(wrapper.get(byId('model-onnx-dialog-result')).text()).toMatch(/\/models\/cnn\.onnx \(1\.\d MB\)/);
  });
});
