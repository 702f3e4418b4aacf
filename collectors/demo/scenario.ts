/**
 * The demo scenario file: a JSON document validated with zod. Field-level rules live in the
 * schemas below; rules that relate several parts (references, rates, call cycles) live in
 * `checkReferences` (scenario-checks.ts). Every problem is reported as `<file>: <path>: <message>`,
 * e.g. `bookinfo.json: edges[3].requestsPerSec: Too small: expected number to be >0`.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { checkReferences } from './scenario-checks';

const percent = z.number().min(0).max(100);
const port = z.number().int().min(1).max(65535);
const name = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/,
    'must be a lower-case DNS name (a-z, 0-9, "-", ".")',
  );
/** "namespace/name" */
const ref = z
  .string()
  .regex(/^[a-z0-9-]+\/[a-z0-9.-]+$/, 'must be "namespace/name"');

/** Bytes per request or connection: a fixed number or a uniform integer range. */
const bytes = z.union([
  z.number().int().min(0),
  z
    .object({ min: z.number().int().min(0), max: z.number().int().min(0) })
    .strict()
    .refine((b) => b.max >= b.min, {
      message: 'max must be >= min',
      path: ['max'],
    }),
]);

/** App (self) latency at the destination, in whole milliseconds. */
const latency = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('lognormal'),
      medianMs: z.number().positive(),
      p95Ms: z.number().positive(),
      maxMs: z.number().positive().default(60_000),
    })
    .strict()
    .refine((l) => l.p95Ms > l.medianMs, {
      message: 'p95Ms must be greater than medianMs',
      path: ['p95Ms'],
    }),
  z
    .object({
      kind: z.literal('buckets'),
      buckets: z
        .array(
          z
            .object({
              weight: z.number().positive(),
              minMs: z.number().int().min(0),
              maxMs: z.number().int().min(0),
            })
            .strict()
            .refine((b) => b.maxMs >= b.minMs, {
              message: 'maxMs must be >= minMs',
              path: ['maxMs'],
            }),
        )
        .min(1),
    })
    .strict(),
]);

const workload = z
  .object({
    name,
    namespace: name,
    /** sidecar: injected istio-proxy; gateway: an Istio gateway (reports as source); no-sidecar: outside the mesh. */
    kind: z.enum(['sidecar', 'gateway', 'no-sidecar']).default('sidecar'),
    app: name,
    /** `version` pod label; absent on gateways (canonical revision then is "latest"). */
    version: z.string().min(1).optional(),
    serviceAccount: name.optional(),
    /** Pods: one per entry, in that cluster; traffic to the workload is spread by weight. */
    replicas: z
      .array(
        z
          .object({ cluster: name, weight: z.number().positive().default(1) })
          .strict(),
      )
      .min(1)
      .optional(),
    /** User-Agent of the calls this workload makes (edges may override). */
    userAgent: z.string().min(1).default('Go-http-client/1.1'),
  })
  .strict();

const service = z
  .object({
    /** Kubernetes Service name, or for `external` services the ServiceEntry host. */
    name,
    namespace: name,
    port,
    /** Container port behind the Service port (defaults to `port`). */
    targetPort: port.optional(),
    /** A ServiceEntry host outside the mesh (no workloads, destination workload "unknown"). */
    external: z.boolean().default(false),
    /** IPv4 address: ClusterIP override, or the external host's resolved address. */
    address: z.ipv4().optional(),
    /** Workload name (same namespace) -> weight: the traffic split (VirtualService weights). */
    workloads: z.record(name, z.number().positive()).optional(),
  })
  .strict();

const edge = z
  .object({
    id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]*$/,
        'must be lower-case letters, digits and "-"',
      ),
    /** Calling workload, "namespace/name". */
    source: ref,
    /** Called Service, "namespace/name". */
    service: ref,
    /** An egress gateway Service the call goes through (productpage -> egress gateway -> host). */
    via: ref.optional(),
    protocol: z.enum(['http', 'grpc', 'tcp']),
    /** Istio mutual TLS on the connection to the destination. */
    mtls: z.boolean(),
    /** Root traffic: new requests per second (HTTP/gRPC). */
    requestsPerSec: z.number().positive().optional(),
    /** Downstream traffic: calls made per request the source workload serves (0.1 = every 10th). */
    callsPerRequest: z.number().positive().max(20).optional(),
    /** TCP: new connections per second. */
    connectionsPerSec: z.number().positive().optional(),
    method: z
      .string()
      .regex(/^[A-Z]+$/)
      .default('GET'),
    paths: z.array(z.string().startsWith('/')).min(1).default(['/']),
    /** :authority header; default "<service>:<port>". */
    authority: z.string().min(1).optional(),
    userAgent: z.string().min(1).optional(),
    /** VirtualService route: `name` shows as %ROUTE_NAME%, `match` in the span name (default "/*"). */
    route: z
      .object({
        name: z.string().min(1).optional(),
        match: z.string().startsWith('/').optional(),
      })
      .strict()
      .optional(),
    latency,
    /** HTTP: request body bytes; TCP: bytes sent by the client per connection. */
    requestBytes: bytes.default(0),
    /** HTTP: response body bytes; TCP: bytes sent by the server per connection. */
    responseBytes: bytes,
    /** Errors returned by the destination app, as a share of the calls that reach it. */
    errors: z
      .array(
        z
          .object({
            percent,
            code: z.number().int().min(100).max(599).optional(),
            grpcStatus: z.number().int().min(1).max(16).optional(),
          })
          .strict(),
      )
      .default([]),
    /** Istio fault injection on the client sidecar (VirtualService `fault`). */
    faults: z
      .object({
        abort: z
          .object({ percent, code: z.number().int().min(400).max(599) })
          .strict()
          .optional(),
        delay: z
          .object({ percent, delayMs: z.number().int().positive() })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    /** Share of calls that fail all attempts to connect: 503 URX,UF on the client sidecar. */
    retries: z
      .object({
        exhaustedPercent: percent,
        attempts: z.number().int().min(2).max(10).default(3),
      })
      .strict()
      .optional(),
    /** Share of calls refused by the circuit breaker: 503 UO on the client side. */
    circuitBreaker: z.object({ overflowPercent: percent }).strict().optional(),
  })
  .strict();

export const scenarioSchema = z
  .object({
    name,
    description: z.string().optional(),
    meshId: z.string().min(1).default('cluster.local'),
    trustDomain: z.string().min(1).default('cluster.local'),
    istioVersion: z.string().min(1).default('1.24.2'),
    /** Istio cluster ids; the first is the primary (default for workloads without replicas). */
    clusters: z.array(name).min(1),
    tracing: z
      .object({
        /** Telemetry API randomSamplingPercentage (per trace, decided at the root). */
        samplingPercent: percent.default(100),
        /** Resource service.name: Istio's default "<app>.<namespace>" or the canonical service. */
        serviceName: z
          .enum(['app.namespace', 'canonical'])
          .default('app.namespace'),
        /** Not done by Istio: add W3C tracestate `ot=th:<threshold>` so samplers' ratio is visible. */
        samplingInTracestate: z.boolean().default(false),
        /** Apps forward x-request-id to their downstream calls (Bookinfo does). */
        propagateRequestId: z.boolean().default(true),
      })
      .strict()
      .default({
        samplingPercent: 100,
        serviceName: 'app.namespace',
        samplingInTracestate: false,
        propagateRequestId: true,
      }),
    workloads: z.array(workload).min(1),
    services: z.array(service).min(1),
    edges: z.array(edge).min(1),
  })
  .strict()
  .superRefine(checkReferences);

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type WorkloadSpec = Scenario['workloads'][number];
export type ServiceSpec = Scenario['services'][number];
export type EdgeSpec = Scenario['edges'][number];
export type LatencySpec = EdgeSpec['latency'];
export type BytesSpec = EdgeSpec['responseBytes'];

/** A scenario that failed validation; `issues` holds one readable line per problem. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
  constructor(
    readonly issues: string[],
    options?: { cause?: unknown },
  ) {
    super(`invalid demo scenario:\n  ${issues.join('\n  ')}`, options);
  }
}

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path)
    out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}

/** Validates a parsed JSON value; `source` names it in messages (file name). Throws ScenarioError. */
export function parseScenario(value: unknown, source = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(value);
  if (result.success) return result.data;
  throw new ScenarioError(
    result.error.issues.map(
      (i) => `${source}: ${pathText(i.path)}: ${i.message}`,
    ),
  );
}

/** Reads and validates a scenario JSON file. Throws ScenarioError with readable lines. */
export function loadScenario(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ScenarioError(
      [`${path}: cannot read: ${(err as Error).message}`],
      { cause: err },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(
      [`${path}: not valid JSON: ${(err as Error).message}`],
      { cause: err },
    );
  }
  return parseScenario(json, path);
}
