/**
 * Scrape jobs: from MESHLENS_SCRAPE_CONFIG (a YAML file in Prometheus' `scrape_configs` shape, a
 * subset), MESHLENS_SCRAPE_FILE_SD (job "file_sd") and Kubernetes pod discovery in a cluster.
 *
 * ```yaml
 * scrape_interval: 15s          # defaults for every job
 * scrape_timeout: 10s
 * scrape_configs:               # `jobs:` is accepted too
 *   - job_name: mesh
 *     scrape_interval: 5s
 *     scrape_timeout: 2s
 *     metrics_path: /stats/prometheus
 *     scheme: http
 *     static_configs: [{ targets: ['10.0.0.1:15020'], labels: { cluster: east } }]
 *     file_sd_configs: [{ files: [targets.json], refresh_interval: 5m }]
 *     kubernetes_sd_configs: [{ role: pod, namespaces: { names: [bookinfo] } }]
 * ```
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import type { Config } from '~/server/config';
import type { Labels } from '../prometheus-shared/exposition';

export interface TargetGroup {
  /** `host:port` addresses. */
  targets: string[];
  labels: Labels;
}

export interface FileSdConfig {
  files: string[];
  refreshMs: number;
}

export interface KubernetesSdConfig {
  /** Only `pod` is supported. */
  role: 'pod';
  /** Defaults to the in-cluster API server (KUBERNETES_SERVICE_HOST/PORT). */
  apiServer: string | undefined;
  namespaces: string[];
  bearerTokenFile: string | undefined;
  caFile: string | undefined;
  refreshMs: number;
}

export interface ScrapeJob {
  name: string;
  intervalMs: number;
  timeoutMs: number;
  metricsPath: string;
  scheme: 'http' | 'https';
  staticConfigs: TargetGroup[];
  fileSd: FileSdConfig[];
  kubernetesSd: KubernetesSdConfig[];
}

export class ScrapeConfigError extends Error {
  override name = 'ScrapeConfigError';
}

/** Prometheus duration (`1h30m`, `15s`, `500ms`) -> ms. */
export function parseDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g;
  const units: Record<string, number> = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
    w: 604_800_000,
    y: 31_536_000_000,
  };
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * units[m[2]!]!;
    consumed += m[0].length;
  }
  if (consumed !== text.length || consumed === 0)
    throw new ScrapeConfigError(
      `"${text}" is not a duration like 15s, 1m or 500ms`,
    );
  return total;
}

const duration = z.string().transform((s, ctx) => {
  try {
    return parseDuration(s);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

const labelsSchema = z.record(z.string(), z.string()).default({});
const groupSchema = z.object({
  targets: z.array(z.string()).default([]),
  labels: labelsSchema,
});
/** The Prometheus file_sd shape: a list of target groups. */
export const fileSdSchema = z.array(groupSchema);

const jobSchema = z.object({
  job_name: z.string().min(1),
  scrape_interval: duration.optional(),
  scrape_timeout: duration.optional(),
  metrics_path: z.string().default('/metrics'),
  scheme: z.enum(['http', 'https']).default('http'),
  static_configs: z.array(groupSchema).default([]),
  file_sd_configs: z
    .array(
      z.object({
        files: z.array(z.string()).min(1),
        refresh_interval: duration.optional(),
      }),
    )
    .default([]),
  kubernetes_sd_configs: z
    .array(
      z.object({
        role: z.literal('pod'),
        api_server: z.string().optional(),
        namespaces: z
          .object({ names: z.array(z.string()).default([]) })
          .optional(),
        bearer_token_file: z.string().optional(),
        tls_config: z.object({ ca_file: z.string().optional() }).optional(),
        refresh_interval: duration.optional(),
      }),
    )
    .default([]),
});

const fileSchema = z.object({
  scrape_interval: duration.optional(),
  scrape_timeout: duration.optional(),
  scrape_configs: z.array(jobSchema).optional(),
  jobs: z.array(jobSchema).optional(),
});

export interface JobDefaults {
  intervalMs: number;
  timeoutMs: number;
}

/** Parses the YAML text of a scrape config file; relative file_sd paths are relative to `baseDir`. */
export function parseScrapeConfig(
  text: string,
  defaults: JobDefaults,
  baseDir: string,
): ScrapeJob[] {
  const parsed = fileSchema.safeParse(YAML.parse(text) ?? {});
  if (!parsed.success) {
    throw new ScrapeConfigError(
      `invalid scrape config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const file = parsed.data;
  const intervalMs = file.scrape_interval ?? defaults.intervalMs;
  const timeoutMs =
    file.scrape_timeout ?? Math.min(defaults.timeoutMs, intervalMs);
  const jobs = [...(file.scrape_configs ?? []), ...(file.jobs ?? [])];
  const names = new Set<string>();
  return jobs.map((j) => {
    if (names.has(j.job_name))
      throw new ScrapeConfigError(`job "${j.job_name}" is defined twice`);
    names.add(j.job_name);
    const jobInterval = j.scrape_interval ?? intervalMs;
    const jobTimeout = j.scrape_timeout ?? Math.min(timeoutMs, jobInterval);
    if (jobTimeout > jobInterval) {
      throw new ScrapeConfigError(
        `job "${j.job_name}": scrape_timeout is longer than scrape_interval`,
      );
    }
    return {
      name: j.job_name,
      intervalMs: jobInterval,
      timeoutMs: jobTimeout,
      metricsPath: j.metrics_path,
      scheme: j.scheme,
      staticConfigs: j.static_configs,
      fileSd: j.file_sd_configs.map((f) => ({
        files: f.files.map((p) => path.resolve(baseDir, p)),
        refreshMs: f.refresh_interval ?? 5 * 60_000,
      })),
      kubernetesSd: j.kubernetes_sd_configs.map((k) => ({
        role: k.role,
        apiServer: k.api_server,
        namespaces: k.namespaces?.names ?? [],
        bearerTokenFile: k.bearer_token_file,
        caFile: k.tls_config?.ca_file,
        refreshMs: k.refresh_interval ?? 30_000,
      })),
    };
  });
}

export const IN_CLUSTER_TOKEN =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Every job this process scrapes, from the config vars. Throws ScrapeConfigError when one is wrong. */
export function scrapeJobsFromConfig(
  config: Config,
  inCluster = fs.existsSync(IN_CLUSTER_TOKEN),
): ScrapeJob[] {
  const env = config.env;
  const defaults = {
    intervalMs: env.MESHLENS_SCRAPE_INTERVAL_S * 1000,
    timeoutMs: env.MESHLENS_SCRAPE_TIMEOUT_S * 1000,
  };
  defaults.timeoutMs = Math.min(defaults.timeoutMs, defaults.intervalMs);
  const jobs: ScrapeJob[] = [];
  if (env.MESHLENS_SCRAPE_CONFIG) {
    const file = path.resolve(env.MESHLENS_SCRAPE_CONFIG);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new ScrapeConfigError(
        `MESHLENS_SCRAPE_CONFIG: cannot read ${file}: ${(err as Error).message}`,
      );
    }
    jobs.push(...parseScrapeConfig(text, defaults, path.dirname(file)));
  }
  const base = {
    ...defaults,
    metricsPath: '/metrics',
    scheme: 'http' as const,
    staticConfigs: [],
    fileSd: [],
    kubernetesSd: [],
  };
  const fileSd = (env.MESHLENS_SCRAPE_FILE_SD ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (fileSd.length > 0 && !jobs.some((j) => j.name === 'file_sd')) {
    jobs.push({
      ...base,
      name: 'file_sd',
      fileSd: [
        { files: fileSd.map((f) => path.resolve(f)), refreshMs: 5 * 60_000 },
      ],
    });
  }
  const k8s = env.MESHLENS_SCRAPE_KUBERNETES;
  const hasK8sJob = jobs.some((j) => j.kubernetesSd.length > 0);
  if (!hasK8sJob && (k8s === 'true' || (k8s === 'auto' && inCluster))) {
    jobs.push({
      ...base,
      name: 'kubernetes-pods',
      kubernetesSd: [
        {
          role: 'pod',
          apiServer: undefined,
          namespaces: [],
          bearerTokenFile: undefined,
          caFile: undefined,
          refreshMs: 30_000,
        },
      ],
    });
  }
  return jobs;
}
