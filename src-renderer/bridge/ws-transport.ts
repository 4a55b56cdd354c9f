import type { EventChannel, InvokeChannel } from '../../src-shared/api/channels';
import type { DroppedFile, Transport } from '../../src-shared/api/client';
import { ApiError, type ApiErrorData, type Result } from '../../src-shared/api/errors';
import { UPLOAD_PATH, type WsClientFrame, type WsServerFrame } from '../../src-shared/api/ws-protocol';

/** The part of the browser's WebSocket this transport uses, so tests can inject a fake class. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** The part of `fetch` the upload uses, so tests can inject a fake. */
export type FetchLike = (url: string, init: { method: 'POST'; body: unknown }) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
}>;

export interface WebSocketTransportOptions {
  /** Defaults to the browser's fetch. */
  readonly fetch?: FetchLike;
  /** Where uploads go; defaults to UPLOAD_PATH on the page's own origin (the access cookie goes with it). */
  readonly uploadPath?: string;
}

export const DISCONNECTED_ERROR: ApiErrorData = {
  code: 'DISCONNECTED',
  message: 'Lost the connection to DNA LM Studio. Reload the page; if it keeps happening, restart the application.',
};

const DISCONNECTED_RESULT: Result<never> = { ok: false, error: DISCONNECTED_ERROR };

/** WebSocket.OPEN; read as a constant so fakes need not define the static members. */
const OPEN = 1;

/**
 * The web host's transport: one WebSocket to the page's own origin, authenticated by the access cookie the browser
 * sends with the upgrade request. Invocations made before the socket opens are queued; result frames are matched to
 * calls by id; event frames go to subscribers. When the socket closes every pending call (and every later one)
 * resolves with a DISCONNECTED error, and listeners registered with onConnectionChange hear about it.
 */
export class WebSocketTransport implements Transport {
  private readonly socket: WebSocketLike | null;
  private state: ConnectionState = 'connecting';
  private nextId = 1;
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  private readonly queue: string[] = [];
  private readonly subscribers = new Map<EventChannel, Set<(payload: unknown) => void>>();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();

  private readonly fetchImpl: FetchLike | null;
  private readonly uploadPath: string;

  constructor(url: string, WebSocketImpl: WebSocketConstructor = WebSocket, options: WebSocketTransportOptions = {}) {
    this.fetchImpl =
      options.fetch ?? (typeof fetch === 'function' ? (fetch.bind(globalThis) as unknown as FetchLike) : null);
    this.uploadPath = options.uploadPath ?? UPLOAD_PATH;
    let socket: WebSocketLike | null = null;
    try {
      socket = new WebSocketImpl(url);
    } catch (err) {
      console.error('Could not open the WebSocket to the web host', err);
    }
    this.socket = socket;
    if (socket === null) {
      this.state = 'closed';
      return;
    }
    socket.onopen = () => this.handleOpen();
    socket.onmessage = (ev) => this.handleMessage(ev.data);
    socket.onclose = () => this.handleClose();
    // An error is always followed by close, which does the work.
    socket.onerror = () => undefined;
    if (socket.readyState === OPEN) this.handleOpen();
  }

  get connection(): ConnectionState {
    return this.state;
  }

  /** Calls the listener on every change of the connection state; returns an unsubscribe function. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  invoke(channel: InvokeChannel, request: unknown): Promise<Result<unknown>> {
    if (this.state === 'closed') return Promise.resolve(DISCONNECTED_RESULT);
    const id = this.nextId++;
    const frame: WsClientFrame = { kind: 'invoke', id, channel, request };
    const text = JSON.stringify(frame);
    return new Promise<Result<unknown>>((resolve) => {
      this.pending.set(id, resolve);
      if (this.state === 'open') this.send(text);
      else this.queue.push(text);
    });
  }

  subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void {
    let set = this.subscribers.get(channel);
    if (set === undefined) {
      set = new Set();
      this.subscribers.set(channel, set);
    }
    // Wrap so the same listener function can be subscribed twice and unsubscribed independently.
    const entry = (payload: unknown): void => listener(payload);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  /**
   * The browser knows no path for a dropped file, so its bytes are posted to the web host, which stores them in a
   * private folder and answers `{path}`. Failures throw an ApiError whose message says which file and why.
   */
  async resolveDroppedFile(file: DroppedFile): Promise<string> {
    const fetchImpl = this.fetchImpl;
    if (fetchImpl === null) {
      throw new ApiError('UNSUPPORTED', `Could not upload "${file.name}": this browser cannot send files. Type its path instead.`);
    }
    const url = `${this.uploadPath}?name=${encodeURIComponent(file.name)}`;
    let response: Awaited<ReturnType<FetchLike>>;
    try {
      response = await fetchImpl(url, { method: 'POST', body: file });
    } catch (err) {
      const detail = err instanceof Error && err.message !== '' ? ` (${err.message})` : '';
      throw new ApiError(
        'DISCONNECTED',
        `Could not upload "${file.name}": DNA LM Studio did not answer${detail}. Check that it is still running and try again.`,
      );
    }
    if (!response.ok) {
      let reason = '';
      try {
        reason = (await response.text()).trim().slice(0, 300);
      } catch {
        // The status alone has to do.
      }
      throw new ApiError(
        'INVALID_REQUEST',
        `Could not upload "${file.name}": ${reason === '' ? 'the upload was refused' : reason} (HTTP ${response.status}).`,
        { status: response.status },
      );
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    const path = isRecord(body) ? body['path'] : undefined;
    if (typeof path !== 'string' || path === '') {
      throw new ApiError('INTERNAL', `Could not upload "${file.name}": DNA LM Studio gave no location for the file.`);
    }
    return path;
  }

  /** Closes the socket; pending calls resolve with DISCONNECTED. */
  close(): void {
    this.socket?.close();
    this.handleClose();
  }

  private send(text: string): void {
    try {
      if (this.socket === null) throw new Error('no socket');
      this.socket.send(text);
    } catch {
      this.handleClose();
    }
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of [...this.connectionListeners]) {
      try {
        listener(state);
      } catch (err) {
        console.error('Connection listener failed', err);
      }
    }
  }

  private handleOpen(): void {
    if (this.state !== 'connecting') return;
    this.setState('open');
    const queued = this.queue.splice(0);
    for (const text of queued) this.send(text);
  }

  private handleClose(): void {
    if (this.state === 'closed') return;
    this.queue.length = 0;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    this.setState('closed');
    for (const resolve of waiting) resolve(DISCONNECTED_RESULT);
  }

  private handleMessage(data: unknown): void {
    const frame = parseFrame(data);
    if (frame === null) {
      console.warn('Ignored a malformed frame from the web host');
      return;
    }
    if (frame.kind === 'result') {
      const resolve = this.pending.get(frame.id);
      if (resolve === undefined) return;
      this.pending.delete(frame.id);
      resolve(frame.result);
      return;
    }
    const set = this.subscribers.get(frame.channel);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        listener(frame.payload);
      } catch (err) {
        console.error(`A listener for ${frame.channel} failed`, err);
      }
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function parseFrame(data: unknown): WsServerFrame | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  if (value['kind'] === 'result') {
    const result = value['result'];
    if (typeof value['id'] !== 'number' || !isRecord(result) || typeof result['ok'] !== 'boolean') return null;
    if (result['ok'] === false && !isRecord(result['error'])) return null;
    return value as unknown as WsServerFrame;
  }
  if (value['kind'] === 'event' && typeof value['channel'] === 'string') {
    return value as unknown as WsServerFrame;
  }
  return null;
}
