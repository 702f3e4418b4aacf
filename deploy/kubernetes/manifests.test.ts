/**
 * The deployment files say what server/config.ts accepts: every manifest and docker-compose.yml
 * parses, every MESHLENS_/CLICKHOUSE_ variable is one the config knows and its value passes
 * validation, containers expose the ports their roles listen on, Services select a workload and
 * target its ports, and the Istio providers point at a Meshlens Service port that speaks them.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument,
   @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-assignment --
   parsed YAML is untyped by nature; the assertions below are what checks its shape. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { envSchema, parseConfig, type Config } from '~/server/config';

const dir = import.meta.dirname;
const repoRoot = path.resolve(dir, '../..');
const known = new Set(Object.keys(envSchema.shape));
const ours = (name: string) => /^(MESHLENS_|CLICKHOUSE_|OTEL_)/.test(name);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

function yamlFiles(d: string): string[] {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(d, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return e.name.endsWith('.yaml') ? [p] : [];
  });
}

const docs: { file: string; doc: Obj }[] = yamlFiles(dir).flatMap((file) =>
  parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => {
    if (d.errors.length > 0)
      throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
    return { file: path.relative(repoRoot, file), doc: d.toJS() as Obj };
  }),
);
const ofKind = (kind: string) => docs.filter((d) => d.doc.kind === kind);
const workloads = docs.filter((d) =>
  ['Deployment', 'DaemonSet', 'StatefulSet', 'Job'].includes(d.doc.kind),
);
const secret = ofKind('Secret')[0]!.doc.stringData as Record<string, string>;

/** The environment a container starts with: its secrets, then its literal values. */
function containerEnv(c: Obj): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? [])
    if (from.secretRef?.name === 'meshlens-clickhouse')
      Object.assign(env, secret);
  for (const e of c.env ?? []) env[e.name] = String(e.value);
  return env;
}

/** Ports a process with this config listens on. */
function listenPorts(config: Config): number[] {
  const ports = [config.ports.web];
  if (config.roles.includes('collector'))
    ports.push(
      config.ports.otlpGrpc,
      config.ports.otlpHttp,
      config.ports.zipkin,
    );
  return ports;
}

describe('Kubernetes manifests', () => {
  it('parse, and hold the workloads, Services and Istio resources the docs list', () => {
    expect(
      ofKind('Deployment')
        .map((d) => d.doc.metadata.name)
        .sort(),
    ).toEqual([
      'meshlens-alerts',
      'meshlens-collector',
      'meshlens-scraper',
      'meshlens-web',
    ]);
    expect(ofKind('Service')).toHaveLength(4);
    expect(ofKind('Telemetry')).toHaveLength(1);
    expect(ofKind('IstioOperator')).toHaveLength(1);
  });

  it('set only variables server/config.ts knows, with values it accepts', () => {
    for (const key of Object.keys(secret)) expect(known, key).toContain(key);
    for (const { file, doc } of workloads) {
      for (const c of doc.spec.template.spec.containers) {
        const env = containerEnv(c);
        for (const name of Object.keys(env).filter(ours))
          expect(known, `${file}: ${name}`).toContain(name);
        expect(() => parseConfig(env), file).not.toThrow();
      }
    }
  });

  it('expose the ports each role listens on, and probe the ops endpoints', () => {
    for (const { file, doc } of workloads) {
      if (doc.kind === 'Job') continue;
      for (const c of doc.spec.template.spec.containers) {
        const config = parseConfig(containerEnv(c));
        const declared = (c.ports as Obj[]).map(
          (p) => p.containerPort as number,
        );
        const listening = listenPorts(config);
        for (const port of declared)
          expect(
            listening,
            `${file}: roles ${config.roles.join(',')}`,
          ).toContain(port);
        // Receivers must be reachable: a collector that is pushed to declares all of them.
        if (doc.metadata.name === 'meshlens-collector')
          expect(declared.sort()).toEqual(listening.sort());
        const names = new Map(
          (c.ports as Obj[]).map((p) => [p.name, p.containerPort]),
        );
        expect(c.readinessProbe.httpGet.path, file).toBe('/readyz');
        expect(c.livenessProbe.httpGet.path, file).toBe('/healthz');
        expect(names.get(c.readinessProbe.httpGet.port), file).toBe(
          config.ports.web,
        );
      }
    }
  });

  it('have Services that select one workload and target its ports', () => {
    for (const { file, doc } of ofKind('Service')) {
      const selector = doc.spec.selector as Record<string, string>;
      const matches = workloads.filter(({ doc: w }) => {
        const labels = w.spec.template.metadata.labels as Record<
          string,
          string
        >;
        return Object.entries(selector).every(([k, v]) => labels[k] === v);
      });
      expect(matches, `${file}: ${doc.metadata.name}`).toHaveLength(1);
      const ports = (
        matches[0]!.doc.spec.template.spec.containers as Obj[]
      ).flatMap((c) => c.ports as Obj[]);
      for (const p of doc.spec.ports as Obj[])
        expect(
          ports.map((cp) => cp.name),
          `${doc.metadata.name}:${p.port}`,
        ).toContain(p.targetPort);
    }
  });

  it('point every Istio provider at a Meshlens Service port that speaks its protocol', () => {
    const defaults = parseConfig({});
    const grpcKinds = [
      'envoyOtelAls',
      'envoyHttpAls',
      'envoyTcpAls',
      'opentelemetry',
    ];
    const providers = ofKind('IstioOperator')[0]!.doc.spec.meshConfig
      .extensionProviders as Obj[];
    for (const p of providers) {
      const kind = Object.keys(p).find((k) => k !== 'name')!;
      const { service, port } = p[kind] as { service: string; port: number };
      const [name, namespace] = service.split('.');
      const svc = ofKind('Service').find(
        (s) =>
          s.doc.metadata.name === name &&
          s.doc.metadata.namespace === namespace,
      );
      expect(svc, `${p.name}: ${service}`).toBeDefined();
      const svcPort = (svc!.doc.spec.ports as Obj[]).find(
        (sp) => sp.port === port,
      );
      expect(svcPort, `${p.name}: port ${port}`).toBeDefined();
      if (grpcKinds.includes(kind)) {
        expect(port, p.name).toBe(defaults.ports.otlpGrpc);
        expect(svcPort!.appProtocol, p.name).toBe('grpc');
      } else {
        expect(kind, p.name).toBe('zipkin');
        expect(port, p.name).toBe(defaults.ports.zipkin);
      }
    }
    const names = new Set(providers.map((p) => p.name));
    const telemetry = ofKind('Telemetry')[0]!.doc.spec as Obj;
    for (const section of [...telemetry.accessLogging, ...telemetry.tracing])
      for (const p of section.providers as Obj[])
        expect(names).toContain(p.name);
  });
});

describe('docker-compose.yml', () => {
  const compose = parseYaml(
    fs.readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8'),
    {
      merge: true,
    },
  ) as Obj;
  const meshlens = Object.entries(
    compose.services as Record<string, Obj>,
  ).filter(([, s]) => s.image === 'meshlens:local');

  it('runs the roles split, each with variables and ports server/config.ts accepts', () => {
    const roles = meshlens.map(
      ([, s]) => (s.environment as Obj).MESHLENS_ROLES as string,
    );
    for (const role of ['collector', 'web', 'alerts'])
      expect(
        roles.filter((r) => r === role),
        role,
      ).toHaveLength(2); // single + cluster profile
    for (const [name, s] of meshlens) {
      const env = Object.fromEntries(
        Object.entries(s.environment as Record<string, unknown>).map(
          ([k, v]) => [k, String(v)],
        ),
      );
      for (const key of Object.keys(env).filter(ours))
        expect(known, `${name}: ${key}`).toContain(key);
      const config = parseConfig(env);
      const published = ((s.ports ?? []) as string[]).map((p) =>
        Number(p.split(':').at(-1)),
      );
      // Every published port is one the process listens on; a process that publishes any publishes
      // its ops port (/metrics) too. (Replicated alerts and the migrate job publish none.)
      for (const port of published)
        expect(listenPorts(config), name).toContain(port);
      if (published.length > 0)
        expect(published, name).toContain(config.ports.web);
    }
  });
});
