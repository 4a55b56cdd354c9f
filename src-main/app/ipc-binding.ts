import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { EVENT_CHANNELS, INVOKE_CHANNELS, fail } from '../../src-shared/api';
import type { AppService } from '../service/app-service';

/**
 * Binds every contract channel to the service, and forwards service events to the windows. Requests are answered only
 * when they come from our own renderer page (a navigated-away or injected frame gets an error, not data).
 */
export function bindIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  service: Pick<AppService, 'dispatch' | 'onEvent'>,
  options: { isTrustedSender: (url: string) => boolean; windows: () => readonly WebContents[] },
): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, request: unknown) => {
      const url = event.senderFrame?.url ?? '';
      if (!options.isTrustedSender(url)) {
        return fail({ code: 'INVALID_REQUEST', message: 'Refused: the request did not come from DNA LM Studio.' });
      }
      return service.dispatch(channel, request);
    });
  }
  const unsubscribe = service.onEvent((channel, payload) => {
    if (!EVENT_CHANNELS.includes(channel)) return;
    for (const contents of options.windows()) {
      if (!contents.isDestroyed()) contents.send(channel, payload);
    }
  });
  return () => {
    unsubscribe();
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}
