/**
 * One protobufjs root per OTLP signal: the shared common/resource messages
 * (proto/otlp-common.proto) plus the signal's own file. Fields are camelCase; 64-bit fields
 * decode to Long, so nanosecond times keep full precision.
 */
import fs from 'node:fs';
import protobuf from 'protobufjs';

const COMMON = new URL('./proto/otlp-common.proto', import.meta.url);

/** Parses the common messages and `signalProto` into one resolved root. */
export function otlpRoot(signalProto: URL): protobuf.Root {
  const root = new protobuf.Root();
  for (const file of [COMMON, signalProto]) {
    protobuf.parse(fs.readFileSync(file, 'utf8'), root, { keepCase: false });
  }
  root.resolveAll();
  return root;
}
