/**
 * The only bridge between the sandboxed renderer and the main process. It exposes `window.api`: named methods grouped
 * by domain (built by createApi from the shared contract), never ipcRenderer itself nor a generic invoke(channel).
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { createApi, type Transport } from '../../src-shared/api/client';
import { ApiError } from '../../src-shared/api/errors';

const transport: Transport = {
  invoke: (channel, request) => ipcRenderer.invoke(channel, request),
  subscribe: (channel, listener) => {
    const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
  // Electron knows where a dropped file lives on disk; no upload is needed.
  resolveDroppedFile: async (file) => {
    const filePath = webUtils.getPathForFile(file as File);
    if (!filePath) throw new ApiError('INVALID_REQUEST', `"${file.name}" is not a file on this computer.`);
    return filePath;
  },
};

contextBridge.exposeInMainWorld('api', createApi(transport));
