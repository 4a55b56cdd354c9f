import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { UPLOAD_PATH, WS_PATH, type WsClientFrame, type WsServerFrame } from '../../src-shared/api';
import type { AppService } from '../service/app-service';
import { TOKEN_COOKIE, allowedHosts, cookieToken, isAllowedOrigin, newAccessToken, tokensEqual } from './access-token';
import { resolveStatic } from './static-files';
import { receiveUpload, removeOldUploads } from './uploads';

export interface WebHostOptions {
  readonly service: AppService;
  /** The built renderer (dist/renderer). */
  readonly rendererDir: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly token?: string;
  /** Where files dropped on the page are stored (see uploads.ts). Without it, uploads are refused. */
  readonly uploadDir?: string;
}

export interface WebHost {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

// Same policy as the renderer's meta tag, also sent as a header so that it holds for every response.
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const SECURITY_HEADERS = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

function refuse(res: ServerResponse, status: 400 | 401 | 403 | 404 | 405 | 500, text: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/**
 * Serves the same renderer and the same application service as the Electron window, to a browser on this computer:
 * HTTP for the built files, a WebSocket for commands and events. Listens on 127.0.0.1 only; every request needs the
 * random access token, which the printed URL carries once and the page then keeps in an HttpOnly cookie.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newAccessToken();
  const rendererDir = fs.realpathSync(options.rendererDir);
  let port = 0;

  const authorised = (req: IncomingMessage): boolean => {
    const fromCookie = cookieToken(req);
    return fromCookie !== null && tokensEqual(fromCookie, token);
  };

  const server = http.createServer((req, res) => {
    if (!allowedHosts(port).has(req.headers.host ?? '')) return refuse(res, 403, 'Forbidden: unexpected Host header.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.method === 'POST' && url.pathname === UPLOAD_PATH) return void handleUpload(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.');
    const offered = url.searchParams.get('token');
    if (offered !== null) {
      if (!tokensEqual(offered, token)) return refuse(res, 403, 'Forbidden: this access link is not valid. Use the URL DNA LM Studio printed.');
      // Move the token from the URL (history, screenshots) into a cookie, then show the clean URL.
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname,
      });
      res.end();
      return;
    }
    if (!authorised(req)) {
      return refuse(res, 401, 'DNA LM Studio: access token required. Open the URL the application printed when it started.');
    }
    const found = resolveStatic(rendererDir, url.pathname);
    if (!found) return refuse(res, 404, 'Not found.');
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': found.type });
    if (req.method === 'HEAD') return res.end();
    fs.createReadStream(found.file).pipe(res);
  });

  const handleUpload = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    // A cross-site form could POST here with the cookie attached; only our own page's Origin is accepted.
    if (!authorised(req)) return refuse(res, 401, 'Access token required.');
    if (!isAllowedOrigin(req.headers.origin, port)) return refuse(res, 403, 'Forbidden: uploads come from the DNA LM Studio page only.');
    if (!options.uploadDir) return refuse(res, 403, 'Uploads are not enabled on this host.');
    const name = url.searchParams.get('name');
    if (!name) return refuse(res, 400, 'The upload needs a file name (?name=...).');
    try {
      const file = await receiveUpload(req, options.uploadDir, name);
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ path: file }));
    } catch (err) {
      refuse(res, 500, `The upload failed: ${(err as Error).message}`);
    }
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const reject = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!allowedHosts(port).has(req.headers.host ?? '')) return reject(403, 'Forbidden');
    if (!isAllowedOrigin(req.headers.origin, port)) return reject(403, 'Forbidden');
    if (!authorised(req)) return reject(401, 'Unauthorized');
    if (url.pathname !== WS_PATH) return reject(404, 'Not Found');
    wss.handleUpgrade(req, socket, head, (ws) => bindSocket(ws, options.service));
  });

  if (options.uploadDir) removeOldUploads(options.uploadDir);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function bindSocket(ws: WebSocket, service: AppService): void {
  const send = (frame: WsServerFrame): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const unsubscribe = service.onEvent((channel, payload) => send({ kind: 'event', channel, payload }));
  ws.on('close', unsubscribe);
  ws.on('message', (data) => {
    let frame: WsClientFrame;
    try {
      frame = JSON.parse(String(data)) as WsClientFrame;
    } catch {
      return;
    }
    if (frame?.kind !== 'invoke' || typeof frame.id !== 'number') return;
    void service.dispatch(frame.channel, frame.request).then((result) => send({ kind: 'result', id: frame.id, result }));
  });
}
