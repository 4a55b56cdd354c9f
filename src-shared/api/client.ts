import { Events, Invoke, type EventChannel, type EventMap, type InvokeChannel, type RequestOf, type ResponseOf } from './channels';
import { unwrap, type Result } from './errors';

/**
 * What carries messages: Electron IPC in the preload, a WebSocket in the browser. The API below is the same for both,
 * so renderer code cannot tell which host it runs under.
 */
export interface Transport {
  invoke(channel: InvokeChannel, request: unknown): Promise<Result<unknown>>;
  subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void;
}

async function call<C extends InvokeChannel>(t: Transport, channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  return unwrap((await t.invoke(channel, request)) as Result<ResponseOf<C>>);
}

function on<E extends EventChannel>(t: Transport, channel: E, listener: (payload: EventMap[E]) => void): () => void {
  return t.subscribe(channel, (payload) => listener(payload as EventMap[E]));
}

/**
 * The renderer's whole view of the application: named methods grouped by domain. There is deliberately no generic
 * `invoke(channel)`: the allow-list is this object.
 */
export function createApi(t: Transport) {
  return {
    app: {
      info: () => call(t, Invoke.appInfo, undefined),
    },
    engine: {
      status: () => call(t, Invoke.engineStatus, undefined),
      onStatus: (listener: (s: EventMap[typeof Events.engineStatus]) => void) => on(t, Events.engineStatus, listener),
    },
    project: {
      create: (path: string, description?: string) =>
        call(t, Invoke.projectCreate, description === undefined ? { path } : { path, description }),
      open: (path: string) => call(t, Invoke.projectOpen, { path }),
      openDemo: () => call(t, Invoke.projectOpenDemo, undefined),
      close: () => call(t, Invoke.projectClose, undefined),
      current: () => call(t, Invoke.projectCurrent, undefined),
      recent: () => call(t, Invoke.projectRecent, undefined),
      forgetRecent: (path: string) => call(t, Invoke.projectForgetRecent, { path }),
      onChanged: (listener: (p: EventMap[typeof Events.projectChanged]) => void) =>
        on(t, Events.projectChanged, listener),
    },
    dialog: {
      chooseNewProject: () => call(t, Invoke.dialogChooseNewProject, undefined),
      chooseProject: () => call(t, Invoke.dialogChooseProject, undefined),
    },
    jobs: {
      list: () => call(t, Invoke.jobsList, undefined),
      startSelftest: (params: RequestOf<typeof Invoke.jobsStart>['params'] = {}) =>
        call(t, Invoke.jobsStart, { kind: 'selftest', params }),
      cancel: (id: number) => call(t, Invoke.jobsCancel, { id }),
      onUpdate: (listener: (job: EventMap[typeof Events.jobUpdate]) => void) => on(t, Events.jobUpdate, listener),
    },
  };
}

export type DnaLmApi = ReturnType<typeof createApi>;
