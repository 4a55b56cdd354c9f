import { describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS, ok, type EventChannel } from '../../../src-shared/api';
import { bindIpc } from '../../../src-main/app/ipc-binding';

type Handler = (event: { senderFrame: { url: string } | null }, request: unknown) => unknown;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: vi.fn((channel: string, handler: Handler) => handlers.set(channel, handler)),
    removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
  };
}

function fakeService() {
  let listener: ((channel: EventChannel, payload: unknown) => void) | null = null;
  return {
    dispatch: vi.fn(async (channel: unknown, request: unknown) => ok({ channel, request })),
    onEvent: vi.fn((l: typeof listener) => {
      listener = l;
      return () => (listener = null);
    }),
    push: (channel: EventChannel, payload: unknown) => listener?.(channel, payload),
  };
}

const trusted = (url: string) => url.startsWith('file:///app/dist/renderer');

describe('the Electron IPC binding', () => {
  it('handles exactly the contract channels and forwards them to the service', async () => {
    const ipc = fakeIpcMain();
    const service = fakeService();
    bindIpc(ipc as never, service as never, { isTrustedSender: trusted, windows: () => [] });
    expect([...ipc.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    const answer = await ipc.handlers.get('project:open')?.({ senderFrame: { url: 'file:///app/dist/renderer/index.html' } }, { path: '/p' });
    expect(service.dispatch).toHaveBeenCalledWith('project:open', { path: '/p' });
    expect(answer).toEqual({ ok: true, value: { channel: 'project:open', request: { path: '/p' } } });
  });

  it('refuses requests from any page that is not the app renderer', async () => {
    const ipc = fakeIpcMain();
    const service = fakeService();
    bindIpc(ipc as never, service as never, { isTrustedSender: trusted, windows: () => [] });
    const answer = await ipc.handlers.get('project:create')?.({ senderFrame: { url: 'https://evil.example/' } }, { path: '/p' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(service.dispatch).not.toHaveBeenCalled();
  });

  it('pushes service events to live windows and unbinds cleanly', () => {
    const ipc = fakeIpcMain();
    const service = fakeService();
    const live = { isDestroyed: () => false, send: vi.fn() };
    const dead = { isDestroyed: () => true, send: vi.fn() };
    const unbind = bindIpc(ipc as never, service as never, { isTrustedSender: trusted, windows: () => [live, dead] as never });
    service.push('job:update', { id: 1 });
    expect(live.send).toHaveBeenCalledWith('job:update', { id: 1 });
    expect(dead.send).not.toHaveBeenCalled();
    unbind();
    expect(ipc.handlers.size).toBe(0);
  });
});
