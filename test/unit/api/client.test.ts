import { describe, expect, it } from 'vitest';
import { ApiError, INVOKE_CHANNELS, Invoke, createApi, fail, ok, type Result, type Transport } from '../../../src-shared/api';

function recordingTransport(answer: (channel: string, request: unknown) => Result<unknown>) {
  const calls: { channel: string; request: unknown }[] = [];
  const listeners = new Map<string, ((p: unknown) => void)[]>();
  const transport: Transport = {
    invoke: async (channel, request) => {
      calls.push({ channel, request });
      return answer(channel, request);
    },
    subscribe: (channel, listener) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
      return () => listeners.set(channel, (listeners.get(channel) ?? []).filter((l) => l !== listener));
    },
    resolveDroppedFile: async (file) => `/uploads/${file.name}`,
  };
  return { transport, calls, listeners };
}

describe('the renderer client', () => {
  it('sends each method on its own contract channel with its request', async () => {
    const { transport, calls } = recordingTransport(() => ok(null));
    const api = createApi(transport);
    await api.project.open('/data/p.dnalm');
    await api.jobs.cancel(7);
    await api.jobs.startSelftest({ repeats: 3 });
    expect(calls).toEqual([
      { channel: Invoke.projectOpen, request: { path: '/data/p.dnalm' } },
      { channel: Invoke.jobsCancel, request: { id: 7 } },
      { channel: Invoke.jobsStart, request: { kind: 'selftest', params: { repeats: 3 } } },
    ]);
    for (const call of calls) expect(INVOKE_CHANNELS).toContain(call.channel);
  });

  it('re-throws an error result as a typed ApiError with code and message', async () => {
    const { transport } = recordingTransport(() =>
      fail({ code: 'PROJECT_LOCKED', message: 'Open in another window.', details: { pid: 42 } }),
    );
    const error = await createApi(transport).project.open('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'PROJECT_LOCKED', message: 'Open in another window.', details: { pid: 42 } });
  });

  it('delivers pushed events until unsubscribed', () => {
    const { transport, listeners } = recordingTransport(() => ok(null));
    const seen: number[] = [];
    const off = createApi(transport).jobs.onUpdate((job) => seen.push(job.id));
    listeners.get('job:update')?.forEach((l) => l({ id: 3 }));
    off();
    listeners.get('job:update')?.forEach((l) => l({ id: 4 }));
    expect(seen).toEqual([3]);
  });
});
