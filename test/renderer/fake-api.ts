// A fake host for renderer tests: a Transport whose handlers answer in memory, wrapped by the real createApi so the
// client code (argument shapes, Result unwrapping, ApiError re-creation) is exercised exactly as in the app.
import { createApi, type DnaLmApi, type Transport } from '../../src-shared/api/client';
import type { EventChannel, EventMap, InvokeChannel, RequestOf, ResponseOf } from '../../src-shared/api/channels';
import { ApiError, fail, ok, type Result } from '../../src-shared/api/errors';
import type { AppInfo, JobDto, ProjectSummary, RecentProject } from '../../src-shared/api/dto';

export type Handlers = { [C in InvokeChannel]?: (request: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>> };

export interface Call {
  readonly channel: InvokeChannel;
  readonly request: unknown;
}

export class FakeTransport implements Transport {
  readonly calls: Call[] = [];
  private readonly listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();

  constructor(public handlers: Handlers) {}

  async invoke(channel: InvokeChannel, request: unknown): Promise<Result<unknown>> {
    this.calls.push({ channel, request });
    const handler = this.handlers[channel] as ((request: unknown) => unknown) | undefined;
    if (handler === undefined) return fail({ code: 'UNKNOWN_COMMAND', message: `No fake handler for ${channel}` });
    try {
      return ok(await handler(request));
    } catch (err) {
      if (err instanceof ApiError) return fail(err.toData());
      throw err;
    }
  }

  subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(channel);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<E extends EventChannel>(channel: E, payload: EventMap[E]): void {
    for (const listener of this.listeners.get(channel) ?? []) listener(payload);
  }

  callsTo(channel: InvokeChannel): unknown[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.request);
  }
}

export function appInfo(nativeDialogs = false): AppInfo {
  return {
    appName: 'DNA LM Studio',
    version: '0.1.0',
    host: nativeDialogs ? 'electron' : 'web',
    versions: {},
    capabilities: { nativeDialogs },
    dataLicences: [],
  };
}

export function projectSummary(overrides: Partial<ProjectSummary> = {}): ProjectSummary {
  return {
    path: '/data/projects/promoters',
    name: 'promoters',
    schemaVersion: 1,
    createdAt: '2025-01-15T10:00:00.000Z',
    createdWithVersion: '0.1.0',
    isDemo: false,
    description: '',
    counts: { datasets: 0, runs: 0, models: 0, predictions: 0, jobs: 0 },
    ...overrides,
  };
}

export function recentProject(overrides: Partial<RecentProject> = {}): RecentProject {
  return { path: '/data/projects/promoters', name: 'promoters', openedAt: '2025-01-15T10:00:00.000Z', exists: true, ...overrides };
}

export function job(overrides: Partial<JobDto> = {}, progress: Partial<JobDto['progress']> = {}): JobDto {
  return {
    id: 1,
    kind: 'selftest',
    title: 'Engine self-test',
    state: 'running',
    status: null,
    params: {},
    createdAt: '2025-01-15T10:00:00.000Z',
    startedAt: '2025-01-15T10:00:01.000Z',
    finishedAt: null,
    error: null,
    result: null,
    workerPid: 4242,
    ...overrides,
    progress: { fraction: 0, step: 0, total: 10, etaSeconds: null, message: '', metrics: {}, ...progress },
  };
}

export interface FakeApi {
  readonly api: DnaLmApi;
  readonly transport: FakeTransport;
}

/** Builds a fake api with sensible defaults (web host: no native dialogs, no project open) and installs it. */
export function installFakeApi(handlers: Handlers = {}, options: { nativeDialogs?: boolean } = {}): FakeApi {
  const unsupported = (): never => {
    throw new ApiError('UNSUPPORTED', 'Folder dialogs are not available in the browser. Type the folder path instead.');
  };
  const transport = new FakeTransport({
    'app:info': () => appInfo(options.nativeDialogs ?? false),
    'engine:status': () => ({ backend: null, checkedAt: null }),
    'project:current': () => null,
    'project:recent': () => [],
    'project:close': () => null,
    'jobs:list': () => [],
    'dialog:chooseNewProject': unsupported,
    'dialog:chooseProject': unsupported,
    ...handlers,
  });
  const api = createApi(transport);
  window.api = api;
  return { api, transport };
}
