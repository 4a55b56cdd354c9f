import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WsServerFrame } from '../../../src-shared/api';
import { forkChildProcess } from '../../../src-main/jobs/worker-process';
import { AppService } from '../../../src-main/service/app-service';
import { startWebHost, type WebHost } from '../../../src-main/host/web-host';
import { SCHEMA_VERSION } from '../../../src-main/project';

let tmp: string;
let host: WebHost;
let service: AppService;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-host-'));
  const rendererDir = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>DNA LM Studio</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'not for the browser');
  service = new AppService({ host: 'web', userDataDir: path.join(tmp, 'home'), launcher: forkChildProcess });
  host = await startWebHost({ service, rendererDir, uploadDir: path.join(tmp, 'uploads') });
});

afterAll(async () => {
  await host.close();
  await service.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const base = () => `http://127.0.0.1:${host.port}`;

async function login(): Promise<string> {
  const res = await fetch(host.url, { redirect: 'manual' });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/');
  const cookie = res.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  return cookie.split(';')[0] ?? '';
}

function openSocket(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('the web host', () => {
  it('listens on 127.0.0.1 only and prints a URL carrying the token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[A-Za-z0-9_-]{40,}$`));
  });

  it('refuses requests without the token (401) and with a wrong one (403)', async () => {
    expect((await fetch(`${base()}/`)).status).toBe(401);
    expect((await fetch(`${base()}/assets/app.js`)).status).toBe(401);
    expect((await fetch(`${base()}/?token=guessed`, { redirect: 'manual' })).status).toBe(403);
    expect((await fetch(`${base()}/`, { headers: { cookie: 'dnalm_token=guessed' } })).status).toBe(401);
  });

  it('moves the token into a cookie and then serves the renderer with a strict CSP', async () => {
    const cookie = await login();
    const res = await fetch(`${base()}/`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('DNA LM Studio');
    const csp = res.headers.get('content-security-policy') ?? '';
    // Scripts only from the app itself: no inline scripts, no eval (WebAssembly compilation alone is allowed).
    expect(csp.match(/script-src[^;]*/)?.[0]).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("default-src 'self'");
    expect((await fetch(`${base()}/assets/app.js`, { headers: { cookie } })).headers.get('content-type')).toMatch(/javascript/);
  });

  it('never serves files outside the renderer folder', async () => {
    const cookie = await login();
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt']) {
      const res = await fetch(`${base()}${p}`, { headers: { cookie } });
      expect(res.status).toBe(404);
    }
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const cookie = await login();
    const http = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: host.port, path: '/', headers: { cookie, host: 'evil.example:80' } }, (res) => resolve(res.statusCode ?? 0))
        .on('error', reject);
    });
    expect(status).toBe(403);
  });

  it('answers commands over the WebSocket only for its own origin with the cookie', async () => {
    const cookie = await login();
    await expect(openSocket({ origin: base() })).rejects.toThrow(/401/);
    await expect(openSocket({ cookie, origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(openSocket({ cookie })).rejects.toThrow(/403/);

    const ws = await openSocket({ cookie, origin: base() });
    const frames: WsServerFrame[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(String(data)) as WsServerFrame));
    ws.send(JSON.stringify({ kind: 'invoke', id: 1, channel: 'app:info', request: null }));
    ws.send(JSON.stringify({ kind: 'invoke', id: 2, channel: 'project:open', request: { path: path.join(tmp, 'missing.dnalm') } }));
    ws.send(JSON.stringify({ kind: 'invoke', id: 3, channel: 'fs:readFile', request: { path: '/etc/passwd' } }));
    ws.send(JSON.stringify({ kind: 'invoke', id: 4, channel: 'project:create', request: { path: path.join(tmp, 'p') } }));
    await until(() => frames.filter((f) => f.kind === 'result').length === 4);
    const byId = new Map(frames.flatMap((f) => (f.kind === 'result' ? [[f.id, f.result] as const] : [])));
    expect(byId.get(1)).toMatchObject({ ok: true, value: { appName: 'DNA LM Studio', host: 'web' } });
    expect(byId.get(2)).toMatchObject({ ok: false, error: { code: 'PROJECT_NOT_FOUND' } });
    expect(byId.get(3)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    expect(byId.get(4)).toMatchObject({ ok: true, value: { name: 'p', schemaVersion: SCHEMA_VERSION } });
    // The open project is pushed as an event to every connected page.
    expect(frames).toContainEqual(expect.objectContaining({ kind: 'event', channel: 'project:changed' }));
    ws.close();
  });
});

describe('uploads of dropped files', () => {
  it('stores the bytes under the original file name and answers with the path', async () => {
    const cookie = await login();
    const body = '>seq1 positive\nACGTACGT\n';
    const res = await fetch(`${base()}/upload?name=${encodeURIComponent('my promoters.fa')}`, {
      method: 'POST',
      headers: { cookie, origin: base() },
      body,
    });
    expect(res.status).toBe(200);
    const { path: stored } = (await res.json()) as { path: string };
    expect(path.basename(stored)).toBe('my promoters.fa');
    expect(stored.startsWith(path.join(tmp, 'uploads') + path.sep)).toBe(true);
    expect(fs.readFileSync(stored, 'utf8')).toBe(body);
  });

  it('refuses uploads without the cookie, from another origin, or aiming outside the upload folder', async () => {
    const cookie = await login();
    const post = (headers: Record<string, string>, name = 'a.fa') =>
      fetch(`${base()}/upload?name=${encodeURIComponent(name)}`, { method: 'POST', headers, body: 'x' });
    expect((await post({ origin: base() })).status).toBe(401);
    expect((await post({ cookie, origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ cookie })).status).toBe(403);
    const sneaky = await post({ cookie, origin: base() }, '../../escape.fa');
    const { path: stored } = (await sneaky.json()) as { path: string };
    expect(path.basename(stored)).toBe('escape.fa');
    expect(stored.startsWith(path.join(tmp, 'uploads') + path.sep)).toBe(true);
    expect(fs.existsSync(path.join(tmp, 'escape.fa'))).toBe(false);
  });
});

async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
