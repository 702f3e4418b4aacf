/**
 * The OTLP trace messages, parsed once from proto/otlp-trace.proto with protobufjs. 64-bit
 * fields decode to Long (two 32-bit halves), so nanosecond times keep full precision.
 */
import fs from 'node:fs';
import protobuf from 'protobufjs';

const PACKAGE = 'opentelemetry.proto.collector.trace.v1';
const text = fs.readFileSync(
  new URL('./proto/otlp-trace.proto', import.meta.url),
  'utf8',
);
const root = protobuf.parse(text, { keepCase: false }).root;

export const ExportTraceServiceRequest = root.lookupType(
  `${PACKAGE}.ExportTraceServiceRequest`,
);
export const ExportTraceServiceResponse = root.lookupType(
  `${PACKAGE}.ExportTraceServiceResponse`,
);
export const RpcStatus = root.lookupType(`${PACKAGE}.RpcStatus`);
export const RetryInfo = root.lookupType(`${PACKAGE}.RetryInfo`);
export const TRACE_SERVICE_NAME = `${PACKAGE}.TraceService`;
