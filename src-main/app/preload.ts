/**
 * The only bridge between the sandboxed renderer and the main process. It exposes `window.api`: named methods grouped
 * by domain (built by createApi from the shared contract), never ipcRenderer itself nor a generic invoke(channel).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createApi, type Transport } from '../../src-shared/api/client';

const transport: Transport = {
  invoke: (channel, request) => ipcRenderer.invoke(channel, request),
  subscribe: (channel, listener) => {
    const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
};

contextBridge.exposeInMainWorld('api', createApi(transport));
