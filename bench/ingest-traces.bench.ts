/**
 * Span ingest benchmark: `npm run bench:ingest-traces [-- spans]` (default 200,000).
 *   - end to end: OTLP/HTTP protobuf requests (500 Istio sidecar spans each: 10 span attributes,
 *     2 resource attributes, client/server pairs) POSTed to the real receiver (`/v1/traces`) by
 *     a fleet of 100 senders with one request in flight each (IN_FLIGHT=...; the senders run in
 *     a child process on the same cores, IN_PROCESS_SENDERS=1 on this event loop), -> decode ->
 *     normalize -> pipeline (default batching) -> Native block -> embedded engine, until
 *     every request was answered 200 (= its spans committed, trace-id lookup and rollup views
 *     included).
 *   - ceiling, same run: the engine copying the same rows from memory into otel_traces
 *     (INSERT ... SELECT from a Memory table, with the same views), as issue 3 asks.
 *   - where the time goes: CPU per row by thread in the end-to-end run (main thread; the engine's
 *     query threads; its merges; Node's GC and libuv helpers), the insert phases of that run
 *     (encoding when queued, at insert, scratch file, engine wall), and decode + normalize (the
 *     receiver's one-pass decoder, and for reference protobufjs + normalize) and Native encoding
 *     on one core over the same requests (best of 5). PROFILE=/tmp/x writes a CPU profile of the
 *     main thread per end-to-end round.
 * End to end and ceiling run twice, alternating; the best of each is kept (the machine is shared).
 * Target (issue 3): end to end >= 1/3 of the ceiling.
 */
import { encodeNativeBlocks } from '~/collectors/pipeline/native-block';
import { decodeOtlpProtobuf } from '~/collectors/sources/otlp/decode';
import { decodeOtlpTracesProtobuf } from '~/collectors/sources/otlp/fast-decode';
import { normalizeOtlpTraces } from '~/collectors/sources/otlp/normalize';
import { ExportTraceServiceRequest } from '~/collectors/sources/otlp/proto';
import type { SpanRow } from '~/collectors/sources/traces-shared/span-row';
import {
  bestRate,
  fmt,
  startRig,
  measureIngest,
  nativeColumns,
  printIngestFigures,
} from './ingest-common';

const total = Number(process.argv[2] ?? 200_000);
const perRequest = 500;
const inFlight = Number(process.env.IN_FLIGHT ?? 100);
const services = ['productpage', 'reviews', 'ratings', 'details'];

const id = (n: number, bytes: number) => {
  const b = Buffer.alloc(bytes);
  b.writeUInt32BE((n >>> 0) + 1, bytes - 4);
  b.writeUInt32BE(0x5eed, 0);
  return b;
};
const str = (key: string, v: string) => ({ key, value: { stringValue: v } });

/** One request of Istio sidecar spans: even = client span, odd = its server child. */
function request(first: number) {
  const startNs = BigInt(Date.now() - 600_000) * 1_000_000n;
  const spans = Array.from({ length: perRequest }, (_, k) => {
    const i = first + k;
    const client = i % 2 === 0;
    const from = services[(i >> 1) % 4]!;
    const to = services[((i >> 1) + 1) % 4]!;
    const own = client ? from : to;
    const start = startNs + BigInt(i) * 1_000_003n;
    return {
      traceId: id(i >> 3, 16),
      spanId: id(i, 8),
      parentSpanId: client ? undefined : id(i - 1, 8),
      name: `${to}.bookinfo.svc.cluster.local:9080/*`,
      kind: client ? 3 : 2,
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: (
        start +
        2_345_678n +
        BigInt(i % 1000) * 1000n
      ).toString(),
      attributes: [
        str(
          'node_id',
          `sidecar~10.244.0.${i % 250}~${own}-v1-6f89b6c557-sg2bc.bookinfo~bookinfo.svc.cluster.local`,
        ),
        str(
          'upstream_cluster',
          client
            ? `outbound|9080||${to}.bookinfo.svc.cluster.local`
            : 'inbound|9080||',
        ),
        str('http.status_code', i % 101 === 0 ? '503' : '200'),
        str('http.method', 'GET'),
        str('http.url', `http://${to}:9080/api/v1/${i % 100}`),
        str('istio.canonical_service', own),
        str('istio.namespace', 'bookinfo'),
        str('response_flags', i % 101 === 0 ? 'UF,URX' : '-'),
        str('guid:x-request-id', `req-${i >> 1}-e4e8c177-3962-9359`),
        str('component', 'proxy'),
      ],
      status: i % 101 === 0 ? { code: 2 } : {},
    };
  });
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            str('service.name', 'istio-proxy'),
            str('k8s.namespace.name', 'bookinfo'),
          ],
        },
        scopeSpans: [{ scope: { name: 'envoy' }, spans }],
      },
    ],
  };
}

const bodies: Uint8Array[] = [];
for (let i = 0; i < total; i += perRequest)
  bodies.push(
    ExportTraceServiceRequest.encode(
      ExportTraceServiceRequest.fromObject(request(i)),
    ).finish(),
  );

const rig = await startRig({
  MESHLENS_QUEUE_MAX_ROWS: String(total * 2),
});
const url = `${rig.otlpHttp.url}/v1/traces`;

const figures = await measureIngest(rig, {
  table: 'otel_traces',
  url,
  contentType: 'application/x-protobuf',
  bodies,
  inFlight,
  total,
});

// Per-stage cost on one core, over the same requests.
const columns = await nativeColumns(rig, 'otel_traces');
await rig.close();

const sample = bodies.slice(0, Math.min(bodies.length, 100));
const sampleSpans = sample.length * perRequest;
const decoded = sample.map((b) => decodeOtlpProtobuf(b));
const rows: SpanRow[][] = sample.map((b) => decodeOtlpTracesProtobuf(b).rows);
let sink = 0;
const onePassRate = bestRate(sampleSpans, 5, () => {
  for (const b of sample) sink += decodeOtlpTracesProtobuf(b).rows.length;
});
const decodeRate = bestRate(sampleSpans, 5, () => {
  for (const b of sample) sink += decodeOtlpProtobuf(b).resourceSpans!.length;
});
const normalizeRate = bestRate(sampleSpans, 5, () => {
  for (const d of decoded) sink += normalizeOtlpTraces(d).rows.length;
});
// as the pipeline encodes an offer when it is queued: one request's rows
const encodeRate = bestRate(sampleSpans, 5, () => {
  for (const r of rows) sink += encodeNativeBlocks(columns, r).length;
});

const us = (perSecond: number) => (1e6 / perSecond).toFixed(1).padStart(6);
console.log(
  `OTLP/HTTP protobuf span ingest, ${fmt(total)} spans in requests of ${perRequest}, ${inFlight} in flight (sink ${sink > 0})`,
);
printIngestFigures(figures, 'spans', total);
console.log(`  stages on one core (us per span, best of 5, same requests):`);
console.log(
  `    decode + normalize, one pass      ${us(onePassRate)}   (protobufjs decode ${us(decodeRate).trim()} + normalize ${us(normalizeRate).trim()}, the general path)`,
);
console.log(
  `    encode Native blocks              ${us(encodeRate)}   (one request's rows, as when queued)`,
);
process.exit(0);
