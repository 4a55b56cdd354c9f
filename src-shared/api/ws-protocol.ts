import type { EventChannel, InvokeChannel } from './channels';
import type { Result } from './errors';

/**
 * Frames of the web host's WebSocket (path WS_PATH, same origin as the page, authenticated by the access cookie).
 * One request frame, one response frame with the same id; events are pushed without an id.
 */
export const WS_PATH = '/api';

/**
 * `POST ${UPLOAD_PATH}?name=<file name>` with the file's bytes as the body (same origin, access cookie): answers
 * `{"path": "<where the host stored it>"}`. How a browser hands a dropped file to the service, which reads paths.
 */
export const UPLOAD_PATH = '/upload';

export interface WsInvokeFrame {
  readonly kind: 'invoke';
  readonly id: number;
  readonly channel: InvokeChannel;
  readonly request: unknown;
}

export interface WsResultFrame {
  readonly kind: 'result';
  readonly id: number;
  readonly result: Result<unknown>;
}

export interface WsEventFrame {
  readonly kind: 'event';
  readonly channel: EventChannel;
  readonly payload: unknown;
}

export type WsClientFrame = WsInvokeFrame;
export type WsServerFrame = WsResultFrame | WsEventFrame;
