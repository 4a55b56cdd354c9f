import { describe, expect, it } from 'vitest';
import { WebSocketTransport, type FetchLike, type WebSocketLike } from '../../src-renderer/bridge/ws-transport';
import type { WsInvokeFrame, WsServerFrame } from '../../src-shared/api/ws-protocol';
import { createApi } from '../../src-shared/api/client';
import { ApiError } from '../../src-shared/api/errors';
import { job } from './fake-api';

/** A WebSocket stand-in: records what is sent and lets the test play the server. */
class FakeWebSocket implements WebSocketLike {
  static instances: FakeWebSocket[] = [];
  readyState = 0;
  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onclose: ((ev: CloseEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  readonly sent: WsInvokeFrame[] = [];

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(data) as WsInvokeFrame);
  }

  close(): void {
    this.serverClose();
  }

  serverOpen(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  serverSend(frame: WsServerFrame | string): void {
    const data = typeof frame === 'string' ? frame : JSON.stringify(frame);
    this.onmessage?.(new MessageEvent('message', { data }));
  }

  serverClose(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.(new Event('close') as CloseEvent);
  }
}

function setup(): { transport: WebSocketTransport; socket: FakeWebSocket } {
  const transport = new WebSocketTransport('ws://localhost:4321/api', FakeWebSocket);
  const socket = FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
  if (socket === undefined) throw new Error('no socket created');
  return { transport, socket };
}

describe('WebSocketTransport', () => {
  it('connects to the given URL and queues invocations until the socket opens', async () => {
    const { transport, socket } = setup();
    expect(socket.url).toBe('ws://localhost:4321/api');
    expect(transport.connection).toBe('connecting');

    const pending = transport.invoke('app:info', undefined);
    expect(socket.sent).toHaveLength(0);

    socket.serverOpen();
    expect(transport.connection).toBe('open');
    expect(socket.sent).toHaveLength(1);
    const frame = socket.sent[0]!;
    expect(frame).toMatchObject({ kind: 'invoke', channel: 'app:info' });

    socket.serverSend({ kind: 'result', id: frame.id, result: { ok: true, value: 'info' } });
    await expect(pending).resolves.toEqual({ ok: true, value: 'info' });
  });

  it('matches results to calls by id, whatever order they come back in', async () => {
    const { transport, socket } = setup();
    socket.serverOpen();
    const a = transport.invoke('project:open', { path: '/a' });
    const b = transport.invoke('project:open', { path: '/b' });
    const [fa, fb] = socket.sent;
    expect(fa!.id).not.toBe(fb!.id);
    expect(fa!.request).toEqual({ path: '/a' });

    socket.serverSend({ kind: 'result', id: fb!.id, result: { ok: true, value: 'B' } });
    socket.serverSend({ kind: 'result', id: 9999, result: { ok: true, value: 'nobody asked' } });
    socket.serverSend('not json at all');
    socket.serverSend({
      kind: 'result',
      id: fa!.id,
      result: { ok: false, error: { code: 'PROJECT_NOT_FOUND', message: 'No project at /a.' } },
    });

    await expect(b).resolves.toEqual({ ok: true, value: 'B' });
    await expect(a).resolves.toEqual({ ok: false, error: { code: 'PROJECT_NOT_FOUND', message: 'No project at /a.' } });
  });

  it('delivers event frames to the subscribers of that channel until they unsubscribe', () => {
    const { transport, socket } = setup();
    socket.serverOpen();
    const jobs: unknown[] = [];
    const projects: unknown[] = [];
    const unsubscribe = transport.subscribe('job:update', (p) => jobs.push(p));
    transport.subscribe('project:changed', (p) => projects.push(p));

    const update = job({ id: 3 });
    socket.serverSend({ kind: 'event', channel: 'job:update', payload: update });
    expect(jobs).toEqual([update]);
    expect(projects).toEqual([]);

    unsubscribe();
    socket.serverSend({ kind: 'event', channel: 'job:update', payload: update });
    socket.serverSend({ kind: 'event', channel: 'project:changed', payload: null });
    expect(jobs).toHaveLength(1);
    expect(projects).toEqual([null]);
  });

  it('rejects pending and later calls with DISCONNECTED when the socket closes, and reports the state', async () => {
    const { transport, socket } = setup();
    const states: string[] = [];
    transport.onConnectionChange((s) => states.push(s));
    socket.serverOpen();
    const api = createApi(transport);

    const pendingCall = api.project.current();
    const queuedBeforeOpen = transport.invoke('jobs:list', undefined);
    socket.serverClose();

    const err = await pendingCall.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('DISCONNECTED');
    expect((err as ApiError).message).toBe(
      'Lost the connection to DNA LM Studio. Reload the page; if it keeps happening, restart the application.',
    );
    await expect(queuedBeforeOpen).resolves.toMatchObject({ ok: false, error: { code: 'DISCONNECTED' } });
    await expect(transport.invoke('app:info', undefined)).resolves.toMatchObject({
      ok: false,
      error: { code: 'DISCONNECTED' },
    });
    expect(states).toEqual(['open', 'closed']);
    expect(transport.connection).toBe('closed');
  });

  it('rejects calls still queued when the socket never opened', async () => {
    const { transport, socket } = setup();
    const queued = transport.invoke('app:info', undefined);
    socket.serverClose();
    await expect(queued).resolves.toMatchObject({ ok: false, error: { code: 'DISCONNECTED' } });
    expect(socket.sent).toHaveLength(0);
  });
});

describe('WebSocketTransport.resolveDroppedFile', () => {
  interface FetchCall {
    url: string;
    init: { method: string; body: unknown };
  }

  function withFetch(answer: (call: FetchCall) => ReturnType<FetchLike>): { transport: WebSocketTransport; calls: FetchCall[] } {
    const calls: FetchCall[] = [];
    const fakeFetch: FetchLike = (url, init) => {
      const call = { url, init };
      calls.push(call);
      return answer(call);
    };
    const transport = new WebSocketTransport('ws://localhost:4321/api', FakeWebSocket, { fetch: fakeFetch });
    return { transport, calls };
  }

  function response(status: number, body: string): ReturnType<FetchLike> {
    return Promise.resolve({
      ok: status >= 200 && status < 300,
      status,
      json: async () => JSON.parse(body) as unknown,
      text: async () => body,
    });
  }

  it('posts the file itself to /upload with its encoded name and returns the stored path', async () => {
    const { transport, calls } = withFetch(() => response(200, JSON.stringify({ path: '/tmp/uploads/ab12/my promoters #1.fa' })));
    const file = new File(['>p1\nACGT\n'], 'my promoters #1.fa');
    const api = createApi(transport);

    await expect(api.files.resolveDropped(file)).resolves.toBe('/tmp/uploads/ab12/my promoters #1.fa');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('/upload?name=my%20promoters%20%231.fa');
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.body).toBe(file);
  });

  it('turns a refused upload into an ApiError that names the file and the reason', async () => {
    const { transport } = withFetch(() => response(403, 'Uploads are not enabled on this host.'));
    const err = await transport.resolveDroppedFile(new File(['x'], 'a.csv')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('Could not upload "a.csv": Uploads are not enabled on this host. (HTTP 403).');
  });

  it('reports a network failure and an answer without a path readably', async () => {
    const offline = withFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const err = await offline.transport.resolveDroppedFile(new File(['x'], 'b.bed')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toMatch(/^Could not upload "b\.bed": DNA LM Studio did not answer/);

    const odd = withFetch(() => response(200, '{"stored": true}'));
    const err2 = await odd.transport.resolveDroppedFile(new File(['x'], 'c.tsv')).catch((e: unknown) => e);
    expect((err2 as ApiError).message).toBe('Could not upload "c.tsv": DNA LM Studio gave no location for the file.');
  });
});
