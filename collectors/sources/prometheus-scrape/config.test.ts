import { describe, expect, it } from 'vitest';
import { parseConfig } from '~/server/config';
import {
  parseDuration,
  parseScrapeConfig,
  scrapeJobsFromConfig,
} from './config';
import { podTargetGroup } from './kubernetes';
import { jitterOffsetMs, withTargetLabels } from './target-loop';
import { resolveTargets } from './targets';

const defaults = { intervalMs: 15_000, timeoutMs: 10_000 };

describe('scrape config', () => {
  it('parses Prometheus durations', () => {
    expect(parseDuration('15s')).toBe(15_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(() => parseDuration('15')).toThrow(/not a duration/);
  });

  it('reads jobs in the scrape_configs shape, with per-job interval and timeout', () => {
    const jobs = parseScrapeConfig(
      `
scrape_interval: 30s
scrape_configs:
  - job_name: mesh
    scrape_interval: 5s
    scrape_timeout: 2s
    metrics_path: /stats/prometheus
    static_configs: [{ targets: ['10.0.0.1:15020'], labels: { cluster: east } }]
    file_sd_configs: [{ files: [targets.json] }]
  - job_name: other
`,
      defaults,
      '/etc/meshlens',
    );
    expect(jobs[0]).toMatchObject({
      name: 'mesh',
      intervalMs: 5000,
      timeoutMs: 2000,
      metricsPath: '/stats/prometheus',
    });
    expect(jobs[0]!.fileSd[0]!.files).toEqual(['/etc/meshlens/targets.json']);
    expect(jobs[1]).toMatchObject({
      name: 'other',
      intervalMs: 30_000,
      timeoutMs: 10_000,
      metricsPath: '/metrics',
    });
  });

  it('refuses a timeout longer than the interval, and duplicate jobs, with a reason', () => {
    expect(() =>
      parseScrapeConfig(
        'jobs: [{ job_name: a, scrape_interval: 1s, scrape_timeout: 2s }]',
        defaults,
        '/',
      ),
    ).toThrow(/longer than scrape_interval/);
    expect(() =>
      parseScrapeConfig(
        'jobs: [{ job_name: a }, { job_name: a }]',
        defaults,
        '/',
      ),
    ).toThrow(/defined twice/);
    expect(() =>
      parseScrapeConfig(
        'jobs: [{ job_name: a, scrape_interval: often }]',
        defaults,
        '/',
      ),
    ).toThrow(/not a duration/);
  });

  it('builds the file_sd job from MESHLENS_SCRAPE_FILE_SD and Kubernetes only when asked or in a cluster', () => {
    const config = parseConfig({
      MESHLENS_SCRAPE_FILE_SD: 'a.json, b.yaml',
      MESHLENS_SCRAPE_INTERVAL_S: '5',
      MESHLENS_SCRAPE_TIMEOUT_S: '10',
    });
    const jobs = scrapeJobsFromConfig(config, false);
    expect(jobs.map((j) => j.name)).toEqual(['file_sd']);
    expect(jobs[0]).toMatchObject({ intervalMs: 5000, timeoutMs: 5000 });
    expect(scrapeJobsFromConfig(config, true).map((j) => j.name)).toEqual([
      'file_sd',
      'kubernetes-pods',
    ]);
    expect(
      scrapeJobsFromConfig(
        parseConfig({ MESHLENS_SCRAPE_KUBERNETES: 'false' }),
        true,
      ),
    ).toEqual([]);
  });
});

describe('targets', () => {
  const job = {
    name: 'mesh',
    intervalMs: 1000,
    timeoutMs: 500,
    metricsPath: '/metrics',
    scheme: 'http' as const,
    staticConfigs: [],
    fileSd: [],
    kubernetesSd: [],
  };

  it('lets discovered labels override the job defaults and drops __ labels', () => {
    const [t] = resolveTargets(job, [
      {
        targets: ['10.0.0.1:15020'],
        labels: {
          __metrics_path__: '/stats/prometheus',
          job: 'sd',
          app: 'reviews',
        },
      },
    ]);
    expect(t).toMatchObject({
      url: 'http://10.0.0.1:15020/stats/prometheus',
      job: 'sd',
      labels: { job: 'sd', instance: '10.0.0.1:15020', app: 'reviews' },
    });
  });

  it('spreads targets over the interval, stably', () => {
    const offsets = Array.from({ length: 200 }, (_, i) =>
      jitterOffsetMs(`t${i}`, 1000),
    );
    expect(offsets.every((o) => o >= 0 && o < 1000)).toBe(true);
    expect(new Set(offsets.map((o) => Math.floor(o / 100))).size).toBe(10);
    expect(jitterOffsetMs('t1', 1000)).toBe(offsets[1]);
  });

  it('keeps a scraped label that clashes with a target label as exported_<name>', () => {
    const labels = withTargetLabels(
      {
        name: 'x',
        labels: { job: 'inner', le: '1.0', a: '' },
        value: 1,
        timestampMs: undefined,
        type: 'histogram',
        cumulative: true,
      },
      { job: 'outer', instance: 'h:1' },
    );
    expect(labels).toEqual({
      exported_job: 'inner',
      le: '1',
      job: 'outer',
      instance: 'h:1',
    });
  });
});

describe('Kubernetes pod targets', () => {
  const pod = (annotations: Record<string, string>, extra: object = {}) => ({
    metadata: {
      name: 'reviews-v1-7d8f9-abcde',
      namespace: 'bookinfo',
      labels: { app: 'reviews', 'service.istio.io/canonical-name': 'reviews' },
      annotations,
    },
    spec: {
      containers: [{ name: 'reviews', ports: [{ containerPort: 9080 }] }],
    },
    status: { phase: 'Running', podIP: '10.1.2.3' },
    ...extra,
  });

  it("follows prometheus.io annotations (Istio's merged 15020 endpoint after injection)", () => {
    const g = podTargetGroup(
      pod({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '15020',
        'prometheus.io/path': '/stats/prometheus',
      }),
    );
    expect(g).toEqual({
      targets: ['10.1.2.3:15020'],
      labels: {
        app: 'reviews',
        service_istio_io_canonical_name: 'reviews',
        namespace: 'bookinfo',
        pod: 'reviews-v1-7d8f9-abcde',
        __metrics_path__: '/stats/prometheus',
      },
    });
  });

  it('falls back to the first container port and /metrics, or to 15020 for a sidecar without annotations', () => {
    expect(
      podTargetGroup(pod({ 'prometheus.io/scrape': 'true' }))?.targets,
    ).toEqual(['10.1.2.3:9080']);
    const sidecar = podTargetGroup(pod({ 'sidecar.istio.io/status': '{}' }));
    expect(sidecar?.targets).toEqual(['10.1.2.3:15020']);
    expect(sidecar?.labels.__metrics_path__).toBe('/stats/prometheus');
  });

  it('skips opted-out, plain and not running pods', () => {
    expect(
      podTargetGroup(
        pod({
          'prometheus.io/scrape': 'false',
          'sidecar.istio.io/status': '{}',
        }),
      ),
    ).toBeUndefined();
    expect(podTargetGroup(pod({}))).toBeUndefined();
    expect(
      podTargetGroup(
        pod(
          { 'prometheus.io/scrape': 'true' },
          { status: { phase: 'Pending' } },
        ),
      ),
    ).toBeUndefined();
  });
});
