/**
 * The OTLP trace messages, parsed once from proto/otlp-trace.proto with protobufjs. 64-bit
 * fields decode to Long (two 32-bit halves), so nanosecond times keep full precision.
 */
import { otlpRoot } from '../otlp-common/proto-root';

const PACKAGE = 'opentelemetry.proto.collector.trace.v1';
const root = otlpRoot(new URL('./proto/otlp-trace.proto', import.meta.url));

export const ExportTraceServiceRequest = root.lookupType(
  `${PACKAGE}.ExportTraceServiceRequest`,
);
export const ExportTraceServiceResponse = root.lookupType(
  `${PACKAGE}.ExportTraceServiceResponse`,
);
export const RpcStatus = root.lookupType(`${PACKAGE}.RpcStatus`);
export const RetryInfo = root.lookupType(`${PACKAGE}.RetryInfo`);
export const TRACE_SERVICE_NAME = `${PACKAGE}.TraceService`;
/** One attribute value (the fast decoder hands array, kvlist and bytes values to it). */
export const AnyValue = root.lookupType(
  'opentelemetry.proto.common.v1.AnyValue',
);
