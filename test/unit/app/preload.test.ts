import { beforeEach, describe, expect, it, vi } from 'vitest';

// The preload runs only inside Electron; here `electron` is replaced by fakes of the two objects it touches.
const exposed: Record<string, unknown> = {};
const ipcRenderer = {
  invoke: vi.fn(async () => ({ ok: true, value: { name: 'p' } })),
  on: vi.fn(),
  removeListener: vi.fn(),
};
vi.mock('electron', () => ({
  webUtils: { getPathForFile: (file: { name: string }) => `/home/user/${file.name}` },
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
  ipcRenderer,
}));

type Api = {
  project: { open(path: string): Promise<unknown> };
  jobs: { onUpdate(listener: (job: unknown) => void): () => void };
};

describe('the preload', () => {
  beforeEach(async () => {
    vi.resetModules();
    await import('../../../src-main/app/preload');
  });

  it('exposes window.api grouped by domain, with no raw IPC access', () => {
    const api = exposed['api'] as Record<string, Record<string, unknown>>;
    expect(Object.keys(exposed)).toEqual(['api']);
    expect(Object.keys(api).sort()).toEqual(['app', 'compare', 'datasets', 'dialog', 'engine', 'files', 'inference', 'jobs', 'models', 'motifs', 'predictions', 'pretrain', 'project', 'reports', 'runs', 'training']);
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('ipcRenderer');
    for (const group of Object.values(api)) for (const method of Object.values(group)) expect(typeof method).toBe('function');
  });

  it('sends a method call on its contract channel and unwraps the answer', async () => {
    const api = exposed['api'] as Api;
    await expect(api.project.open('/data/p.dnalm')).resolves.toEqual({ name: 'p' });
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('project:open', { path: '/data/p.dnalm' });
  });

  it('subscribes to pushed events and removes the same listener on unsubscribe', () => {
    const api = exposed['api'] as Api;
    const off = api.jobs.onUpdate(() => {});
    const [channel, handler] = ipcRenderer.on.mock.calls.at(-1) as unknown as [string, unknown];
    expect(channel).toBe('job:update');
    off();
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('job:update', handler);
  });
});
