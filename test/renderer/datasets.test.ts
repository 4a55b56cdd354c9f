import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { getInstanceByDom } from 'echarts/core';
import App from '../../src-renderer/App.vue';
import { SEARCH_DEBOUNCE_MS } from '../../src-renderer/lib/datasets';
import { useDatasetsStore } from '../../src-renderer/stores/datasets';
import type { DatasetRecord, DatasetRecordsQuery, DatasetSummary } from '../../src-shared/api/datasets';
import { datasetDetail, datasetSummary, installFakeApi, projectSummary, type FakeApi, type Handlers } from './fake-api';

const byId = (id: string): string => `[data-testid="${id}"]`;
let mounted: VueWrapper | null = null;

async function openDatasets(
  datasets: DatasetSummary[],
  handlers: Handlers = {},
  nativeDialogs = false,
): Promise<{ wrapper: VueWrapper; fake: FakeApi }> {
  const pinia = createPinia();
  setActivePinia(pinia);
  const fake = installFakeApi(
    { 'project:current': () => projectSummary(), 'datasets:list': () => datasets, ...handlers },
    { nativeDialogs },
  );
  const wrapper = mount(App, { global: { plugins: [pinia] }, attachTo: document.body });
  mounted = wrapper;
  await flushPromises();
  await wrapper.get(byId('nav-datasets')).trigger('click');
  return { wrapper, fake };
}

function record(index: number, overrides: Partial<DatasetRecord> = {}): DatasetRecord {
  return { index, id: `seq${index}`, split: 'train', label: 'promoter', length: 12, gc: 0.5, sequence: 'TATAAAGGCCAA', ...overrides };
}

beforeEach(() => {
  document.body.innerHTML = '';
});

afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

describe('datasets list', () => {
  it('lists datasets with records, classes, splits and a short content hash that can be copied', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { wrapper } = await openDatasets([
      datasetSummary({ id: 1, name: 'promoters', records: 980 }),
      datasetSummary({ id: 2, name: 'enhancers', records: 40, classes: ['a', 'b', 'c', 'd', 'e'] }),
    ]);
    const rows = wrapper.findAll(byId('dataset-row'));
    expect(rows.map((r) => r.get(byId('dataset-open')).text())).toEqual(['enhancers', 'promoters']);
    const promoters = rows[1]!;
    expect(promoters.get(byId('dataset-records')).text()).toBe('980');
    expect(promoters.text()).toContain('background, promoter');
    expect(promoters.text()).toContain('train, validation, test');
    expect(rows[0]!.text()).toContain('a, b, c and 2 more');
    expect(promoters.get(byId('dataset-hash')).text()).toBe('a3f5c2d9e8b7');

    await promoters.get(byId('dataset-hash-copy')).trigger('click');
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith(datasetSummary().contentHash);
    expect(promoters.get(byId('dataset-hash-copy')).text()).toBe('Copied');
  });

  it('asks before deleting, naming the dataset and its record count, and deletes only after confirming', async () => {
    const { wrapper, fake } = await openDatasets([datasetSummary({ id: 3, name: 'promoters', records: 980 })], {
      'datasets:delete': () => null,
    });
    await wrapper.get(byId('dataset-delete')).trigger('click');
    const dialog = wrapper.get(byId('dataset-delete-dialog'));
    expect(dialog.attributes('role')).toBe('dialog');
    expect(dialog.get(byId('dataset-delete-message')).text()).toBe(
      'Delete the dataset “promoters” with its 980 records from this project?',
    );
    expect(fake.transport.callsTo('datasets:delete')).toEqual([]);

    await dialog.get(byId('dataset-delete-cancel')).trigger('click');
    expect(wrapper.find(byId('dataset-delete-dialog')).exists()).toBe(false);
    expect(fake.transport.callsTo('datasets:delete')).toEqual([]);
    expect(wrapper.findAll(byId('dataset-row'))).toHaveLength(1);

    await wrapper.get(byId('dataset-delete')).trigger('click');
    await wrapper.get(byId('dataset-delete-confirm')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('datasets:delete')).toEqual([{ id: 3 }]);
    expect(wrapper.find(byId('dataset-delete-dialog')).exists()).toBe(false);
    expect(wrapper.findAll(byId('dataset-row'))).toHaveLength(0);
    expect(wrapper.find(byId('datasets-empty')).exists()).toBe(true);
  });

  it('exports to a typed path when there are no native dialogs', async () => {
    const { wrapper, fake } = await openDatasets([datasetSummary({ id: 4 })], {
      'datasets:export': ({ path }) => ({ path, records: 100 }),
    });
    await wrapper.get(byId('dataset-export')).trigger('click');
    expect(wrapper.find(byId('export-browse')).exists()).toBe(false);
    expect(wrapper.get(byId('export-submit')).attributes('disabled')).toBeDefined();
    await wrapper.get(byId('export-format-fasta')).setValue(true);
    await wrapper.get(byId('export-split')).setValue('test');
    await wrapper.get(byId('export-path')).setValue(' /home/alex/exports/promoters-test.fasta ');
    await wrapper.get(byId('export-submit')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('datasets:export')).toEqual([
      { id: 4, format: 'fasta', path: '/home/alex/exports/promoters-test.fasta', split: 'test' },
    ]);
    expect(wrapper.get(byId('export-result')).text()).toContain('Exported 100 records');
  });

  it('asks the native save dialog for the path, with a file name made from the dataset', async () => {
    const { wrapper, fake } = await openDatasets(
      [datasetSummary({ id: 4, name: 'Human promoters (chr1)' })],
      {
        'dialog:chooseExportFile': () => '/chosen/out.csv',
        'datasets:export': ({ path }) => ({ path, records: 1000 }),
      },
      true,
    );
    await wrapper.get(byId('dataset-export')).trigger('click');
    await wrapper.get(byId('export-browse')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('dialog:chooseExportFile')).toEqual([{ defaultName: 'Human-promoters-chr1.csv' }]);
    expect(wrapper.get(byId('export-path-chosen')).text()).toBe('/chosen/out.csv');
    await wrapper.get(byId('export-submit')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('datasets:export')).toEqual([{ id: 4, format: 'csv', path: '/chosen/out.csv' }]);
  });

  it('renames and describes a dataset, sending only what changed, and follows datasets.onChanged', async () => {
    const { wrapper, fake } = await openDatasets([datasetSummary({ id: 5, name: 'promoters' })], {
      'datasets:update': ({ id, name }) => datasetSummary({ id, name: name ?? 'promoters' }),
    });
    await wrapper.get(byId('dataset-edit')).trigger('click');
    await wrapper.get(byId('dataset-edit-name')).setValue('promoters (hg38)');
    await wrapper.get(byId('dataset-edit-save')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('datasets:update')).toEqual([{ id: 5, name: 'promoters (hg38)' }]);
    expect(wrapper.get(byId('dataset-open')).text()).toBe('promoters (hg38)');

    fake.transport.emit('datasets:changed', [datasetSummary({ id: 5, name: 'renamed elsewhere' }), datasetSummary({ id: 6, name: 'new' })]);
    await flushPromises();
    expect(wrapper.findAll(byId('dataset-open')).map((b) => b.text())).toEqual(['new', 'renamed elsewhere']);
  });

  it('reloads the list when another project is opened', async () => {
    const { fake } = await openDatasets([datasetSummary({ id: 1 })]);
    const store = useDatasetsStore();
    expect(store.list).toHaveLength(1);
    fake.transport.handlers['datasets:list'] = () => [];
    fake.transport.emit('project:changed', projectSummary({ path: '/data/projects/other', name: 'other' }));
    await flushPromises();
    expect(fake.transport.callsTo('datasets:list')).toHaveLength(2);
    expect(store.list).toHaveLength(0);
  });
});

describe('dataset page', () => {
  it('shows the header, counts and charts, and asks for records with the filters and the search text', async () => {
    const queries: DatasetRecordsQuery[] = [];
    const { wrapper, fake } = await openDatasets(
      [datasetSummary({ id: 7, name: 'promoters', licence: 'CC BY 4.0 — cite Grešová et al. 2023' })],
      {
        'datasets:get': ({ id }) => datasetDetail({ id, name: 'promoters', licence: 'CC BY 4.0 — cite Grešová et al. 2023' }),
        'datasets:records': (query) => {
          queries.push(query);
          const total = query.search === undefined ? 120 : 1;
          return { total, records: [record(query.offset ?? 0, { gc: 0.4166 })] };
        },
      },
    );
    await wrapper.get(byId('dataset-open')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('datasets:get')).toEqual([{ id: 7 }]);
    expect(wrapper.get(byId('dataset-name')).text()).toBe('promoters');
    expect(wrapper.get(byId('dataset-description')).text()).toBe('Human promoters vs. background');
    expect(wrapper.get(byId('dataset-hash')).text()).toBe('a3f5c2d9e8b7a6f5');
    expect(wrapper.get(byId('dataset-split')).text()).toBe('random stratified 80/10/10, seed 42');
    expect(wrapper.get(byId('dataset-licence')).text()).toContain('CC BY 4.0');
    expect(wrapper.get(byId('dataset-sources')).text()).toContain('/data/promoters.csv');
    expect(wrapper.get(byId('dataset-settings')).attributes('open')).toBeUndefined();
    expect(wrapper.get(byId('dataset-settings')).text()).toContain('from the column label');
    const counts = wrapper.get(byId('dataset-counts'));
    expect(counts.get('tr[data-class="promoter"] td[data-split="train"]').text()).toBe('400');

    // Records: first page, then the split filter, then the (debounced) search.
    expect(queries).toEqual([{ id: 7, offset: 0, limit: 50 }]);
    expect(wrapper.get(byId('records-range')).text()).toBe('Records 1–1 of 120');
    expect(wrapper.get(byId('record-row')).text()).toContain('41.7%');
    expect(wrapper.get(byId('record-sequence')).classes()).toContain('sequence');
    await wrapper.get(byId('records-next')).trigger('click');
    await flushPromises();
    expect(queries[1]).toEqual({ id: 7, offset: 50, limit: 50 });

    await wrapper.get(byId('records-split')).setValue('test');
    await flushPromises();
    expect(queries[2]).toEqual({ id: 7, split: 'test', offset: 0, limit: 50 });

    await wrapper.get(byId('records-search')).setValue('TAT');
    await wrapper.get(byId('records-search')).setValue('TATAAA ');
    expect(queries).toHaveLength(3);
    await new Promise((resolve) => setTimeout(resolve, SEARCH_DEBOUNCE_MS + 50));
    await flushPromises();
    expect(queries).toHaveLength(4);
    expect(queries[3]).toEqual({ id: 7, split: 'test', search: 'TATAAA', offset: 0, limit: 50 });
    expect(wrapper.get(byId('records-range')).text()).toBe('Records 1–1 of 1');

    // Charts load lazily, draw the statistics, and are disposed with the page.
    const kmerEl = await vi.waitFor(() => wrapper.get(byId('dataset-chart-kmers')).element as HTMLElement, { timeout: 10_000 });
    const countsEl = wrapper.get(byId('dataset-chart-counts')).element as HTMLElement;
    expect(wrapper.find(byId('dataset-chart-lengths')).exists()).toBe(true);
    expect(wrapper.find(byId('dataset-chart-gc')).exists()).toBe(true);
    const kmerChart = getInstanceByDom(kmerEl)!;
    const countsChart = getInstanceByDom(countsEl)!;
    const kmerOption = kmerChart.getOption() as { yAxis: { data: string[] }[]; series: { data: number[] }[] };
    expect(kmerOption.yAxis[0]!.data).toEqual(['TATAAA', 'GCGCGC']);
    expect(kmerOption.series[0]!.data).toEqual([90, 70]);
    const countsOption = countsChart.getOption() as { series: { name: string; stack: string; data: number[] }[] };
    expect(countsOption.series.map((s) => [s.name, s.stack, s.data])).toEqual([
      ['background', 'total', [400, 50, 50]],
      ['promoter', 'total', [400, 50, 50]],
    ]);

    await wrapper.get(byId('dataset-back')).trigger('click');
    expect(wrapper.find(byId('dataset-list')).exists()).toBe(true);
    expect(kmerChart.isDisposed()).toBe(true);
    expect(countsChart.isDisposed()).toBe(true);
  });

  it('closes the page and returns to the list after deleting the dataset from it', async () => {
    const { wrapper, fake } = await openDatasets([datasetSummary({ id: 8, name: 'enhancers', records: 12 })], {
      'datasets:get': ({ id }) => datasetDetail({ id, name: 'enhancers', records: 12 }),
      'datasets:records': () => ({ total: 0, records: [] }),
      'datasets:delete': () => null,
    });
    await wrapper.get(byId('dataset-open')).trigger('click');
    await flushPromises();
    expect(wrapper.find(byId('records-empty')).exists()).toBe(true);
    await wrapper.get(byId('dataset-delete')).trigger('click');
    expect(wrapper.get(byId('dataset-delete-message')).text()).toContain('“enhancers” with its 12 records');
    await wrapper.get(byId('dataset-delete-confirm')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('datasets:delete')).toEqual([{ id: 8 }]);
    expect(wrapper.find(byId('view-dataset')).exists()).toBe(false);
    expect(wrapper.find(byId('datasets-empty')).exists()).toBe(true);
  });
});
