import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import App from '../../src-renderer/App.vue';
import { useAppStore } from '../../src-renderer/stores/app';
import { ApiError } from '../../src-shared/api/errors';
import type { ProjectSummary } from '../../src-shared/api/dto';
import { installFakeApi, projectSummary, recentProject, type FakeApi, type Handlers } from './fake-api';

let pinia: Pinia;

async function mountApp(handlers: Handlers = {}, nativeDialogs = false): Promise<{ wrapper: VueWrapper; fake: FakeApi }> {
  pinia = createPinia();
  setActivePinia(pinia);
  const fake = installFakeApi(handlers, { nativeDialogs });
  const wrapper = mount(App, { global: { plugins: [pinia] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, fake };
}

describe('home screen', () => {
  beforeEach(() => {
    document.body.innerHTML = '';
  });

  it('without native dialogs shows path fields, and Create calls project.create with the typed path', async () => {
    let created: ProjectSummary | null = null;
    const { wrapper, fake } = await mountApp({
      'project:create': ({ path, description }) => {
        created = projectSummary({ path, name: 'promoter-study', description: description ?? '' });
        return created;
      },
    });

    expect(wrapper.find('[data-testid="home-view"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="new-project-browse"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="open-project-path"]').exists()).toBe(true);
    const field = wrapper.get('[data-testid="new-project-path"]');
    expect(field.attributes('placeholder')).toMatch(/promoter-study/);
    expect(wrapper.get('[data-testid="new-project-submit"]').attributes('disabled')).toBeDefined();

    await field.setValue('  /home/alex/dna-projects/promoter-study ');
    await wrapper.get('[data-testid="new-project-description"]').setValue('Promoters, human chr1');
    await wrapper.get('[data-testid="new-project-submit"]').trigger('submit');
    await flushPromises();

    expect(fake.transport.callsTo('project:create')).toEqual([
      { path: '/home/alex/dna-projects/promoter-study', description: 'Promoters, human chr1' },
    ]);
    // The project is open: header, navigation and status bar show it.
    expect(wrapper.get('[data-testid="project-name"]').text()).toBe('promoter-study');
    expect(wrapper.get('[data-testid="status-project"]').text()).toBe('promoter-study');
    expect(wrapper.find('[data-testid="nav-jobs"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="home-view"]').exists()).toBe(false);
  });

  it('omits the description when it is left empty', async () => {
    const { wrapper, fake } = await mountApp({ 'project:create': ({ path }) => projectSummary({ path }) });
    await wrapper.get('[data-testid="new-project-path"]').setValue('/tmp/p1');
    await wrapper.get('[data-testid="new-project-submit"]').trigger('submit');
    await flushPromises();
    expect(fake.transport.callsTo('project:create')).toEqual([{ path: '/tmp/p1' }]);
  });

  it('with native dialogs offers Browse… and falls back to a path field if the dialog is unsupported', async () => {
    const { wrapper, fake } = await mountApp(
      { 'dialog:chooseProject': () => '/chosen/project', 'project:open': ({ path }) => projectSummary({ path }) },
      true,
    );
    expect(wrapper.find('[data-testid="new-project-path"]').exists()).toBe(false);
    await wrapper.get('[data-testid="open-project-browse"]').trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('project:open')).toEqual([{ path: '/chosen/project' }]);

    // Close, then a dialog that answers UNSUPPORTED switches to path fields without an error banner.
    await wrapper.get('[data-testid="close-project"]').trigger('click');
    await flushPromises();
    await wrapper.get('[data-testid="new-project-browse"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="new-project-path"]').exists()).toBe(true);
    expect(wrapper.findAll('[data-testid="error-banner"]')).toHaveLength(0);
  });

  it('shows an ApiError from open in a dismissible banner', async () => {
    const message = 'There is no DNA LM Studio project in /data/nope. Check the path, or create a new project there.';
    const { wrapper } = await mountApp({
      'project:open': () => {
        throw new ApiError('PROJECT_NOT_FOUND', message);
      },
    });
    await wrapper.get('[data-testid="open-project-path"]').setValue('/data/nope');
    await wrapper.get('[data-testid="open-project-submit"]').trigger('submit');
    await flushPromises();

    const banners = wrapper.findAll('[data-testid="error-banner"]');
    expect(banners).toHaveLength(1);
    expect(banners[0]!.text()).toContain(message);
    expect(banners[0]!.attributes('data-code')).toBe('PROJECT_NOT_FOUND');
    // Still on the home screen, path kept for correction.
    expect((wrapper.get('[data-testid="open-project-path"]').element as HTMLInputElement).value).toBe('/data/nope');

    await wrapper.get('[data-testid="error-dismiss"]').trigger('click');
    expect(wrapper.findAll('[data-testid="error-banner"]')).toHaveLength(0);
  });

  it('lists recent projects; a missing one says so and can be removed', async () => {
    const missing = recentProject({ path: '/old/gone', name: 'gone', exists: false });
    const { wrapper, fake } = await mountApp({
      'project:recent': () => [recentProject(), missing],
      'project:forgetRecent': () => [recentProject()],
      'project:openDemo': () => projectSummary({ name: 'Demo project', isDemo: true }),
    });
    const items = wrapper.findAll('[data-testid="recent-item"]');
    expect(items).toHaveLength(2);
    expect(items[0]!.text()).toContain('promoters');
    expect(items[0]!.text()).toContain('/data/projects/promoters');
    expect(items[1]!.text()).toContain('moved or deleted');
    await items[1]!.get('[data-testid="recent-remove"]').trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('project:forgetRecent')).toEqual([{ path: '/old/gone' }]);
    expect(wrapper.findAll('[data-testid="recent-item"]')).toHaveLength(1);

    await wrapper.get('[data-testid="open-demo"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="project-name"]').text()).toBe('Demo project');
  });
});

describe('project shell', () => {
  it('navigates between pages and shows the status bar', async () => {
    const { wrapper, fake } = await mountApp({
      'project:current': () =>
        projectSummary({ counts: { datasets: 0, runs: 2, models: 0, predictions: 0, jobs: 0 } }),
    });
    expect(wrapper.get('[data-testid="status-engine"]').text()).toBe(
      'Engine: not checked yet — run the self-test in Jobs',
    );
    // Importing exists now: the overview suggests it, and nothing says it is unavailable.
    expect(wrapper.get('[data-testid="overview-next"]').text()).toContain('Import your sequences');
    expect(wrapper.text()).not.toMatch(/importing datasets (is|are) not|not part of this build yet; .*import/i);

    expect(wrapper.text()).not.toMatch(/not part of this build/i);
    await wrapper.get('[data-testid="nav-pretrain"]').trigger('click');
    expect(wrapper.get('[data-testid="view-pretrain"]').text()).toContain('Pretrain');
    expect(wrapper.get('[data-testid="nav-pretrain"]').attributes('aria-current')).toBe('page');

    await wrapper.get('[data-testid="nav-datasets"]').trigger('click');
    expect(wrapper.get('[data-testid="datasets-empty"]').text()).toContain(
      'Import sequences: FASTA, CSV/TSV, BED + reference genome, DNABERT k-mer TSV, or a genomic-benchmarks folder',
    );
    expect(wrapper.find('[data-testid="import-open"]').exists()).toBe(true);

    fake.transport.emit('engine:status', { backend: 'wasm', checkedAt: '2025-01-15T10:00:00.000Z' });
    await flushPromises();
    expect(wrapper.get('[data-testid="status-engine"]').text()).toBe('Engine: wasm');

    // The host closing the project (e.g. from another window) returns to the home screen.
    fake.transport.emit('project:changed', null);
    await flushPromises();
    expect(wrapper.find('[data-testid="home-view"]').exists()).toBe(true);
    expect(wrapper.get('[data-testid="status-project"]').text()).toBe('No project');
  });

  it('shows a lost connection in a banner and the status bar', async () => {
    const { wrapper } = await mountApp();
    useAppStore(pinia).setConnected(false);
    await flushPromises();
    expect(wrapper.get('[data-testid="connection-banner"]').text()).toContain('Lost the connection to DNA LM Studio');
    expect(wrapper.get('[data-testid="status-connection"]').text()).toBe('Connection lost');
  });
});
