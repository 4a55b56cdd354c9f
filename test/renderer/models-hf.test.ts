import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import App from '../../src-renderer/App.vue';
import { ApiError } from '../../src-shared/api/errors';
import type { ModelSummary } from '../../src-shared/api/training';
import {
  hfExport,
  importedModel,
  installFakeApi,
  modelSummary,
  projectSummary,
  type FakeApi,
  type Handlers,
} from './fake-api';

const byId = (id: string): string => `[data-testid="${id}"]`;
let mounted: VueWrapper | null = null;

async function openModels(
  models: ModelSummary[],
  handlers: Handlers = {},
  nativeDialogs = false,
): Promise<{ wrapper: VueWrapper; fake: FakeApi }> {
  const pinia = createPinia();
  setActivePinia(pinia);
  const fake = installFakeApi(
    { 'project:current': () => projectSummary(), 'models:list': () => models, ...handlers },
    { nativeDialogs },
  );
  const wrapper = mount(App, { global: { plugins: [pinia] }, attachTo: document.body });
  mounted = wrapper;
  await flushPromises();
  await wrapper.get(byId('nav-models')).trigger('click');
  await flushPromises();
  return { wrapper, fake };
}

function submitDisabled(wrapper: VueWrapper, id: string): boolean {
  return (wrapper.get(byId(id)).element as HTMLButtonElement).disabled;
}

beforeEach(() => {
  document.body.innerHTML = '';
});

afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

describe('import a Hugging Face model', () => {
  it('is disabled until the licence is named and confirmed, sends exactly the form, and shows the new model', async () => {
    let answer: (model: ModelSummary) => void = () => undefined;
    const { wrapper, fake } = await openModels([], {
      'models:importHf': () => new Promise<ModelSummary>((resolve) => (answer = resolve)),
    });
    await wrapper.get(byId('model-import-open')).trigger('click');
    const dialog = wrapper.get(byId('model-import-dialog'));
    expect(dialog.text()).toContain('Apache-2.0');
    // Web host: no native dialogs, so no Browse button.
    expect(wrapper.find(byId('model-import-browse')).exists()).toBe(false);

    expect(submitDisabled(wrapper, 'model-import-submit')).toBe(true);
    await wrapper.get(byId('model-import-path')).setValue('  /models/DNABERT-6 ');
    await wrapper.get(byId('model-import-name')).setValue('DNABERT 6-mer');
    expect(submitDisabled(wrapper, 'model-import-submit')).toBe(true);
    await wrapper.get(byId('model-import-licence')).setValue('Apache-2.0');
    expect(submitDisabled(wrapper, 'model-import-submit')).toBe(true);
    await wrapper.get(byId('model-import-confirm')).setValue(true);
    expect(submitDisabled(wrapper, 'model-import-submit')).toBe(false);
    await wrapper.get(byId('model-import-licence')).setValue('   ');
    expect(submitDisabled(wrapper, 'model-import-submit')).toBe(true);
    await wrapper.get(byId('model-import-licence')).setValue('Apache-2.0');

    await wrapper.get(byId('model-import-submit')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('models:importHf')).toEqual([
      { path: '/models/DNABERT-6', name: 'DNABERT 6-mer', licence: 'Apache-2.0', licenceConfirmed: true },
    ]);
    // In progress: a spinner, and the dialog cannot be submitted twice.
    expect(wrapper.find(byId('model-import-progress')).exists()).toBe(true);
    expect(submitDisabled(wrapper, 'model-import-submit')).toBe(true);

    answer(importedModel({ name: 'DNABERT 6-mer' }));
    await flushPromises();
    const result = wrapper.get(byId('model-import-result'));
    expect(result.text()).toContain('DNABERT 6-mer');
    expect(result.text()).toContain('BERT');
    expect(result.text()).toContain('pretrained');
    expect(result.text()).toContain('89,191,685');
    expect(result.text()).toContain('Apache-2.0');
    expect(wrapper.find(byId('model-import-submit')).exists()).toBe(false);
    const rows = wrapper.findAll(byId('model-row'));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.text()).toContain('DNABERT 6-mer');

    await wrapper.get(byId('model-import-cancel')).trigger('click');
    expect(wrapper.find(byId('model-import-dialog')).exists()).toBe(false);
  });

  it('leaves the name out when empty and fills the path from the native folder dialog', async () => {
    const { wrapper, fake } = await openModels(
      [],
      { 'dialog:chooseImportFiles': () => ['/models/DNABERT-3'] },
      true,
    );
    await wrapper.get(byId('model-import-open')).trigger('click');
    await wrapper.get(byId('model-import-browse')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('dialog:chooseImportFiles')).toEqual([{ folders: true }]);
    expect((wrapper.get(byId('model-import-path')).element as HTMLInputElement).value).toBe('/models/DNABERT-3');
    await wrapper.get(byId('model-import-licence')).setValue('Apache-2.0');
    await wrapper.get(byId('model-import-confirm')).setValue(true);
    await wrapper.get(byId('model-import-submit')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('models:importHf')).toEqual([
      { path: '/models/DNABERT-3', licence: 'Apache-2.0', licenceConfirmed: true },
    ]);
  });

  it('shows the error and keeps the form when the import is refused', async () => {
    const message = 'This is a DNABERT-2 checkpoint (BPE tokenizer, ALiBi attention); only BERT k-mer checkpoints can be imported.';
    const { wrapper, fake } = await openModels([modelSummary()], {
      'models:importHf': () => {
        throw new ApiError('IMPORT_REJECTED', message);
      },
    });
    await wrapper.get(byId('model-import-open')).trigger('click');
    await wrapper.get(byId('model-import-path')).setValue('/models/DNABERT-2-117M');
    await wrapper.get(byId('model-import-licence')).setValue('Apache-2.0');
    await wrapper.get(byId('model-import-confirm')).setValue(true);
    await wrapper.get(byId('model-import-submit')).trigger('click');
    await flushPromises();

    expect(fake.transport.callsTo('models:importHf')).toHaveLength(1);
    expect(wrapper.get(byId('model-import-error')).text()).toContain(message);
    expect(wrapper.find(byId('model-import-result')).exists()).toBe(false);
    expect((wrapper.get(byId('model-import-path')).element as HTMLInputElement).value).toBe('/models/DNABERT-2-117M');
    expect((wrapper.get(byId('model-import-licence')).element as HTMLInputElement).value).toBe('Apache-2.0');
    expect((wrapper.get(byId('model-import-confirm')).element as HTMLInputElement).checked).toBe(true);
    expect(submitDisabled(wrapper, 'model-import-submit')).toBe(false);
    expect(wrapper.findAll(byId('model-row'))).toHaveLength(1);
  });
});

describe('export as Hugging Face', () => {
  const models = [
    modelSummary({ id: 11, name: 'CNN promoters', architecture: 'cnn' }),
    modelSummary({ id: 12, name: 'BERT promoters', architecture: 'bert', parameters: 2_000_000 }),
  ];

  it('is offered for BERT rows only and sends {id, path}, then lists the files written', async () => {
    const { wrapper, fake } = await openModels(models);
    const cnnRow = wrapper.get('[data-model-id="11"]');
    const bertRow = wrapper.get('[data-model-id="12"]');
    const cnnExport = cnnRow.get(byId('model-export'));
    expect((cnnExport.element as HTMLButtonElement).disabled).toBe(true);
    expect(cnnExport.attributes('title')).toContain('Only BERT models have a Hugging Face format');
    expect((bertRow.get(byId('model-export')).element as HTMLButtonElement).disabled).toBe(false);

    await bertRow.get(byId('model-export')).trigger('click');
    const dialog = wrapper.get(byId('model-export-dialog'));
    expect(dialog.text()).toContain('BERT promoters');
    expect(submitDisabled(wrapper, 'model-export-submit')).toBe(true);
    await wrapper.get(byId('model-export-path')).setValue(' /exports/bert-promoters ');
    await wrapper.get(byId('model-export-submit')).trigger('click');
    await flushPromises();

    expect(fake.transport.callsTo('models:exportHf')).toEqual([{ id: 12, path: '/exports/bert-promoters' }]);
    const result = wrapper.get(byId('model-export-result'));
    expect(result.text()).toContain('/exports/bert-promoters');
    for (const f of hfExport().files) expect(result.text()).toContain(f);
    expect(result.text()).toContain('BertForMaskedLM.from_pretrained');
    expect(result.text()).toContain('BertForSequenceClassification.from_pretrained');
    expect(result.text()).toContain('recipe to continue pretraining on a cluster');
  });

  it('asks the native save dialog with the model name and shows an export error', async () => {
    const { wrapper, fake } = await openModels(
      models,
      {
        'dialog:chooseExportFile': () => '/exports/chosen',
        'models:exportHf': () => {
          throw new ApiError('INTERNAL', '/exports/chosen is not empty.');
        },
      },
      true,
    );
    await wrapper.get('[data-model-id="12"]').get(byId('model-export')).trigger('click');
    await wrapper.get(byId('model-export-browse')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('dialog:chooseExportFile')).toEqual([{ defaultName: 'BERT promoters' }]);
    await wrapper.get(byId('model-export-submit')).trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('models:exportHf')).toEqual([{ id: 12, path: '/exports/chosen' }]);
    expect(wrapper.get(byId('model-export-error')).text()).toContain('/exports/chosen is not empty.');
    expect((wrapper.get(byId('model-export-path')).element as HTMLInputElement).value).toBe('/exports/chosen');
  });
});
