import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import App from '../../src-renderer/App.vue';
import { ApiError } from '../../src-shared/api/errors';
import type { MotifScanSettings, MotifScanSummary } from '../../src-shared/api/motifs';
import { installFakeApi, job, motifCollection, motifDetail, motifScanSummary, projectSummary, type FakeApi, type Handlers } from './fake-api';

const byId = (id: string): string => `[data-testid="${id}"]`;
let mounted: VueWrapper | null = null;

async function openMotifs(handlers: Handlers = {}): Promise<{ wrapper: VueWrapper; fake: FakeApi }> {
  const pinia = createPinia();
  setActivePinia(pinia);
  const fake = installFakeApi({
    'project:current': () => projectSummary(),
    'motifs:load': () => motifCollection(),
    'motifs:get': (r) => motifDetail({ id: r.id }),
    'motifScans:list': () => [],
    ...handlers,
  });
  const wrapper = mount(App, { global: { plugins: [pinia] }, attachTo: document.body });
  mounted = wrapper;
  await flushPromises();
  await wrapper.get(byId('nav-motifs')).trigger('click');
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

describe('the motif browser', () => {
  it('shows the bundled collection with its licence, and the first motif as a logo with its matrix', async () => {
    const { wrapper, fake } = await openMotifs();
    expect(fake.transport.callsTo('motifs:load')).toEqual([{}]);
    expect(wrapper.get(byId('motif-collection')).text()).toContain('3 motifs from the bundled set');
    expect(wrapper.get(byId('motif-collection')).text()).toContain('CC BY 4.0');
    expect(wrapper.findAll(byId('motif-row')).map((r) => r.text())).toEqual(['MA0004.1Arnt611.0', 'MA0069.1PAX61413.8', 'MA0071.1RORA1012.4']);
    expect(fake.transport.callsTo('motifs:get')).toEqual([{ id: 'MA0004.1' }]);
    // Logo: column 1 is one A two bits tall; column 2 splits half a bit each between A and C; colours by base.
    const letters = wrapper.findAll(byId('logo-letter')).map((l) => [l.attributes('data-position'), l.attributes('data-base'), l.attributes('data-height')]);
    expect(letters).toEqual([
      ['0', 'A', '2.000'],
      ['1', 'A', '0.500'],
      ['1', 'C', '0.500'],
      ['2', 'G', '2.000'],
    ]);
    expect(wrapper.find('[data-base="A"] text').attributes('fill')).toBe('#109648');
    expect(wrapper.find('[data-base="G"] text').attributes('fill')).toBe('#f7a21b');
    expect(wrapper.get('[data-testid="motif-matrix"] tr[data-base="C"]').text()).toBe('C0.000.500.00');
  });

  it('flips logo, consensus and matrix to the other strand', async () => {
    const { wrapper } = await openMotifs();
    expect(wrapper.get(byId('motif-consensus')).text()).toBe('AMG');
    await wrapper.get(byId('motif-rc')).setValue(true);
    expect(wrapper.get(byId('motif-consensus')).text()).toBe('CKT');
    const letters = wrapper.findAll(byId('logo-letter')).map((l) => `${l.attributes('data-position')}${l.attributes('data-base')}`);
    expect(letters).toEqual(['0C', '1G', '1T', '2T']);
    expect(wrapper.get('[data-testid="motif-matrix"] tr[data-base="T"]').text()).toBe('T0.000.501.00');
  });

  it('searches by name, id or consensus and opens the motif clicked', async () => {
    const { wrapper, fake } = await openMotifs();
    await wrapper.get(byId('motif-search')).setValue('pax');
    expect(wrapper.findAll(byId('motif-row')).map((r) => r.attributes('data-motif-id'))).toEqual(['MA0069.1']);
    await wrapper.get(byId('motif-search')).setValue('tcaagg');
    expect(wrapper.findAll(byId('motif-row')).map((r) => r.attributes('data-motif-id'))).toEqual(['MA0071.1']);
    await wrapper.get(byId('motif-row')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('motifs:get').at(-1)).toEqual({ id: 'MA0071.1' });
    expect(wrapper.get(byId('motif-title')).text()).toContain('MA0071.1');
  });

  it('opens a motif file by path, and shows why a bad one was refused', async () => {
    const { wrapper, fake } = await openMotifs({
      'motifs:load': (r) => {
        if (r.path === undefined) return motifCollection();
        if (r.path.endsWith('bad.meme')) throw new ApiError('IMPORT_REJECTED', '/data/bad.meme, line 6: the G probability of motif a is "x", not a number.');
        return motifCollection({ path: r.path, format: 'meme', bundled: false, licence: '', motifs: [{ id: 'm1', name: 'Mine', width: 3, consensus: 'AMG', informationContent: 5 }] });
      },
    });
    await wrapper.get(byId('motif-file')).setValue('/data/mine.meme');
    await wrapper.get(byId('motif-collection-form')).trigger('submit');
    await flushPromises();
    expect(wrapper.get(byId('motif-collection')).text()).toContain('1 motifs from /data/mine.meme (MEME)');
    expect(fake.transport.callsTo('motifs:get').at(-1)).toEqual({ id: 'm1', path: '/data/mine.meme' });
    await wrapper.get(byId('motif-file')).setValue('/data/bad.meme');
    await wrapper.get(byId('motif-collection-form')).trigger('submit');
    await flushPromises();
    expect(document.body.textContent).toContain('bad.meme, line 6: the G probability of motif a is "x", not a number');
    // The collection shown stays the last good one.
    expect(wrapper.get(byId('motif-collection')).text()).toContain('/data/mine.meme');
  });
});

describe('motif scans', () => {
  it('lists the scans and pages through the top motifs per region', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ region: `chr2:${i * 1000}-${i * 1000 + 500}(+)`, top: [{ motif: 'MA0004.1', name: 'Arnt', score: 10.5 - i / 10 }] }));
    const { wrapper, fake } = await openMotifs({
      'motifScans:list': () => [motifScanSummary()],
      'motifScans:top': (r) => ({ total: rows.length, rows: rows.slice(r.offset, r.offset + r.limit) }),
    });
    await wrapper.get(byId('motifs-tab-scans')).trigger('click');
    expect(wrapper.findAll(byId('scan-row'))).toHaveLength(1);
    await wrapper.get(byId('scan-open')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('motifScans:top')).toEqual([{ id: 1, offset: 0, limit: 25, top: 3 }]);
    expect(wrapper.findAll(byId('scan-top-row'))).toHaveLength(25);
    expect(wrapper.get(byId('scan-top-row')).text()).toContain('Arnt 10.5');
    expect(wrapper.get(byId('scan-top-range')).text()).toBe('1–25 of 30 regions');
    await wrapper.get(byId('scan-top-next')).trigger('click');
    await flushPromises();
    expect(wrapper.findAll(byId('scan-top-row'))).toHaveLength(5);
    expect(wrapper.get(byId('scan-top-range')).text()).toBe('26–30 of 30 regions');
  });

  it('starts a scan from the form, follows its job and opens the result', async () => {
    let scans: MotifScanSummary[] = [];
    const { wrapper, fake } = await openMotifs({
      'motifScans:list': () => scans,
      'jobs:start': (r) => job({ id: 7, kind: r.kind, title: 'Motif scan', state: 'running' }),
      'motifScans:top': () => ({ total: 1, rows: [{ region: 'promoter', top: [{ motif: 'MA0004.1', name: 'Arnt', score: 9 }] }] }),
    });
    await wrapper.get(byId('motifs-tab-scans')).trigger('click');
    await wrapper.get(byId('motif-scan-form')).trigger('submit');
    expect(wrapper.get(byId('scan-form-error')).text()).toContain('BED file');
    await wrapper.get(byId('scan-source-fasta')).setValue(true);
    await wrapper.get(byId('scan-fasta')).setValue('/data/promoters.fa');
    await wrapper.get(byId('scan-scoring-sum')).setValue(true);
    await wrapper.get(byId('scan-threshold')).setValue('7.5');
    await wrapper.get(byId('motif-scan-form')).trigger('submit');
    await flushPromises();
    expect(fake.transport.callsTo('jobs:start')).toEqual([
      { kind: 'motif-scan', params: { regions: { kind: 'fasta', path: '/data/promoters.fa' }, scoring: 'sum', background: 'uniform', threshold: 7.5 } satisfies MotifScanSettings },
    ]);
    expect(wrapper.find(byId('scan-progress-panel')).exists()).toBe(true);
    const result = motifScanSummary({ id: 4, name: 'promoters.fa × JASPAR 2024 (sum)', regions: 1 });
    scans = [result];
    fake.transport.emit('job:update', job({ id: 7, kind: 'motif-scan', state: 'done', status: 'success', result }));
    await flushPromises();
    expect(wrapper.findAll(byId('scan-row')).map((r) => r.text())).toEqual([expect.stringContaining('promoters.fa × JASPAR 2024 (sum)')]);
    expect(wrapper.get(byId('scan-top-title')).text()).toContain('promoters.fa');
    expect(wrapper.get(byId('scan-top-row')).text()).toContain('Arnt 9.0');
  });
});
