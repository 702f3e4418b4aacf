/**
 * For tests: a webhook receiver on 127.0.0.1 (port 0) that records every request and answers
 * as told: `respond(n)` gives the status of the n-th request (from 1). It accepts a
 * notification once per idempotency key, as a careful receiver would.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  n: number;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
  /** When the request had been read (epoch ms). */
  atMs: number;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Bodies accepted (2xx) once per idempotency key. */
  accepted: Map<string, string>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(
  respond: (
    n: number,
    req: { path: string; headers: http.IncomingHttpHeaders; body: string },
  ) => number | { status: number; headers?: Record<string, string> } = () =>
    200,
): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const accepted = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const n = requests.length + 1;
      const answer = respond(n, {
        path: req.url ?? '/',
        headers: req.headers,
        body,
      });
      const { status, headers = {} } =
        typeof answer === 'number' ? { status: answer } : answer;
      requests.push({
        n,
        path: req.url ?? '/',
        headers: req.headers,
        body,
        status,
        atMs: Date.now(),
      });
      const key = String(req.headers['x-meshlens-idempotency-key'] ?? '');
      if (status >= 200 && status < 300 && !accepted.has(key))
        accepted.set(key, body);
      res.writeHead(status, { 'content-type': 'text/plain', ...headers });
      res.end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    accepted,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
