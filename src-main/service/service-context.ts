import type { EventChannel, EventMap, InvokeChannel, InvokeMap } from '../../src-shared/api';
import type { ProjectStore } from '../project';

/** Native dialogs exist only in Electron; the service asks the host for them through this. */
export interface DialogProvider {
  chooseNewProject(): Promise<string | null>;
  chooseProject(): Promise<string | null>;
  chooseImportFiles(folders: boolean): Promise<string[] | null>;
  chooseExportFile(defaultName: string): Promise<string | null>;
}

/** What a domain's handlers may use of the service: the open project, events, dialogs, per-user folders. */
export interface ServiceContext {
  requireProject(): ProjectStore;
  emit<E extends EventChannel>(channel: E, payload: EventMap[E]): void;
  /** Throws UNSUPPORTED under hosts without native dialogs. */
  dialogs(): DialogProvider;
  readonly userDataDir: string;
}

/** Handlers for a subset of the contract's channels; the service merges one map per domain. */
export type HandlerMap<C extends InvokeChannel> = {
  [K in C]: (request: InvokeMap[K]['request']) => Promise<InvokeMap[K]['response']>;
};
