/**
 * One small HTTP server per simulated proxy on 127.0.0.1 (port 0), serving that pod's
 * `/stats/prometheus` like Envoy's :15090 listener, plus a Prometheus file_sd JSON file listing
 * them with pod labels, so a scraper finds the targets the way kubernetes_sd would.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { Pod } from './mesh';
import type { MetricsRegistry } from './metrics-registry';

export interface MetricsTarget {
  pod: Pod;
  /** `127.0.0.1:<port>` */
  address: string;
  url: string;
}

/** One Prometheus file_sd group. */
export interface FileSdGroup {
  targets: string[];
  labels: Record<string, string>;
}

export interface MetricsEndpointStats {
  targets: number;
  scrapes: number;
}

export const EXPOSITION_CONTENT_TYPE =
  'text/plain; version=0.0.4; charset=utf-8';

/** file_sd groups for the targets: one per pod with namespace, pod, app, version, cluster. */
export function fileSdGroups(targets: readonly MetricsTarget[]): FileSdGroup[] {
  return targets.map((t) => {
    const w = t.pod.workload;
    const labels: Record<string, string> = {
      namespace: t.pod.namespace,
      pod: t.pod.name,
      app: w.app,
    };
    if (w.version !== 'unknown') labels.version = w.version;
    labels.cluster = t.pod.cluster;
    labels.workload = w.name;
    return { targets: [t.address], labels };
  });
}

export class MetricsEndpoints {
  private readonly servers: http.Server[] = [];
  private readonly list: MetricsTarget[] = [];
  private scrapes = 0;

  constructor(
    private readonly registry: MetricsRegistry,
    private readonly pods: readonly Pod[],
  ) {}

  /** Starts one server per pod on 127.0.0.1:0. */
  async start(): Promise<MetricsTarget[]> {
    for (const pod of this.pods) {
      const server = http.createServer((req, res) => {
        const path = (req.url ?? '/').split('?')[0];
        req.resume();
        if (req.method !== 'GET' || path !== '/stats/prometheus') {
          res
            .writeHead(404, { 'content-type': 'text/plain' })
            .end('try /stats/prometheus\n');
          return;
        }
        this.scrapes++;
        const body = this.registry.render(pod);
        res
          .writeHead(200, {
            'content-type': EXPOSITION_CONTENT_TYPE,
            'content-length': Buffer.byteLength(body),
          })
          .end(body);
      });
      server.keepAliveTimeout = 65_000;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      this.servers.push(server);
      this.list.push({
        pod,
        address: `127.0.0.1:${port}`,
        url: `http://127.0.0.1:${port}/stats/prometheus`,
      });
    }
    return this.targets();
  }

  targets(): MetricsTarget[] {
    return [...this.list];
  }

  /** Writes the file_sd JSON atomically (temp file + rename), as Prometheus recommends. */
  writeTargetsFile(path: string): void {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, JSON.stringify(fileSdGroups(this.list), null, 2) + '\n');
    renameSync(tmp, path);
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
    this.servers.length = 0;
  }

  stats(): MetricsEndpointStats {
    return { targets: this.list.length, scrapes: this.scrapes };
  }
}
