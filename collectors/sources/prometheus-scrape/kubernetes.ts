/**
 * Kubernetes pod discovery: lists pods from the API server (the in-cluster service account when
 * present) and turns each running pod into a scrape target, the way Istio's `kubernetes-pods` job
 * does (shared/reference/istio-metrics.md section 6):
 * - `prometheus.io/scrape: "true"` -> `prometheus.io/port` (default: the pod's first container
 *   port), `prometheus.io/path` (default /metrics), `prometheus.io/scheme`;
 * - otherwise a pod with an Istio sidecar -> the merged endpoint `:15020/stats/prometheus`;
 * - `prometheus.io/scrape: "false"` opts out.
 * Target labels: `namespace`, `pod`, and the pod's labels with non [a-zA-Z0-9_] characters as `_`.
 * Re-lists every refresh interval (a watch would be quicker to notice churn; listing is simpler and
 * a missed pod is found on the next round).
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { KubernetesSdConfig, TargetGroup } from './config';

export interface KubePod {
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: {
    containers?: { name: string; ports?: { containerPort: number }[] }[];
  };
  status?: { phase?: string; podIP?: string };
}

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

export const sanitizeLabelName = (name: string): string =>
  name.replace(/[^a-zA-Z0-9_]/g, '_');

/** The scrape target of one pod, or undefined when it is not scraped. Pure. */
export function podTargetGroup(pod: KubePod): TargetGroup | undefined {
  const ip = pod.status?.podIP;
  if (pod.status?.phase !== 'Running' || !ip) return undefined;
  const ann = pod.metadata.annotations ?? {};
  const scrape = ann['prometheus.io/scrape'];
  if (scrape === 'false') return undefined;
  const containers = pod.spec?.containers ?? [];
  const hasSidecar =
    ann['sidecar.istio.io/status'] !== undefined ||
    containers.some((c) => c.name === 'istio-proxy');
  let port: string | undefined;
  let metricsPath: string;
  if (scrape === 'true') {
    const firstPort = containers.flatMap((c) => c.ports ?? [])[0]
      ?.containerPort;
    port =
      ann['prometheus.io/port'] ??
      (firstPort === undefined ? undefined : String(firstPort));
    metricsPath = ann['prometheus.io/path'] ?? '/metrics';
  } else if (hasSidecar) {
    port = '15020';
    metricsPath = '/stats/prometheus';
  } else return undefined;
  if (!port || !/^\d+$/.test(port)) return undefined;
  const host = ip.includes(':') ? `[${ip}]` : ip;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(pod.metadata.labels ?? {}))
    labels[sanitizeLabelName(k)] = v;
  labels.namespace = pod.metadata.namespace;
  labels.pod = pod.metadata.name;
  labels.__metrics_path__ = metricsPath;
  const scheme = ann['prometheus.io/scheme'];
  if (scheme === 'https' || scheme === 'http') labels.__scheme__ = scheme;
  return { targets: [`${host}:${port}`], labels };
}

interface ApiAccess {
  base: string;
  token: string | undefined;
  ca: Buffer | undefined;
}

function apiAccess(cfg: KubernetesSdConfig): ApiAccess {
  const read = (file: string | undefined) =>
    file && fs.existsSync(file) ? fs.readFileSync(file) : undefined;
  if (cfg.apiServer) {
    return {
      base: cfg.apiServer.replace(/\/$/, ''),
      token: read(cfg.bearerTokenFile)?.toString().trim(),
      ca: read(cfg.caFile),
    };
  }
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT ?? '443';
  if (!host)
    throw new Error(
      'not in a Kubernetes cluster (KUBERNETES_SERVICE_HOST is unset) and no api_server is configured',
    );
  return {
    base: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    // Projected service-account tokens rotate: read the file on every request.
    token: read(cfg.bearerTokenFile ?? `${SERVICE_ACCOUNT}/token`)
      ?.toString()
      .trim(),
    ca: read(cfg.caFile ?? `${SERVICE_ACCOUNT}/ca.crt`),
  };
}

function getJson(
  url: string,
  access: ApiAccess,
  timeoutMs: number,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const lib = u.protocol === 'https:' ? https : http;
    const req = lib.get(
      u,
      {
        headers: {
          accept: 'application/json',
          ...(access.token ? { authorization: `Bearer ${access.token}` } : {}),
        },
        ...(access.ca ? { ca: access.ca } : {}),
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) >= 300) {
            reject(
              new Error(
                `Kubernetes API ${u.pathname} answered ${res.statusCode}: ${text.slice(0, 200)}`,
              ),
            );
            return;
          }
          try {
            resolve(JSON.parse(text));
          } catch (err) {
            reject(
              new Error(
                `Kubernetes API ${u.pathname} sent invalid JSON: ${(err as Error).message}`,
              ),
            );
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(
        new Error(`Kubernetes API did not answer within ${timeoutMs} ms`),
      ),
    );
    req.on('error', reject);
  });
}

/** Lists the pods of the configured namespaces (all when none) and returns their target groups. */
export async function discoverPods(
  cfg: KubernetesSdConfig,
  timeoutMs = 10_000,
): Promise<TargetGroup[]> {
  const access = apiAccess(cfg);
  const paths =
    cfg.namespaces.length > 0
      ? cfg.namespaces.map(
          (ns) => `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`,
        )
      : ['/api/v1/pods'];
  const groups: TargetGroup[] = [];
  for (const p of paths) {
    const list = (await getJson(`${access.base}${p}`, access, timeoutMs)) as {
      items?: KubePod[];
    };
    for (const pod of list.items ?? []) {
      const g = podTargetGroup(pod);
      if (g) groups.push(g);
    }
  }
  return groups;
}
