/**
 * Envoy ALS messages, loaded once with protobufjs from the .proto subset in ./proto (field
 * numbers as in envoyproxy/envoy api/, google/protobuf/* from protobufjs' bundled copies).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'proto');
const root = new protobuf.Root();
root.resolvePath = (_origin, target) =>
  target.startsWith('google/protobuf/') ? target : path.join(dir, target);
root.loadSync('envoy/service/accesslog/v3/als.proto', { keepCase: true });
root.resolveAll();

export const ALS_SERVICE = 'envoy.service.accesslog.v3.AccessLogService';
export const StreamAccessLogsMessage = root.lookupType(
  'envoy.service.accesslog.v3.StreamAccessLogsMessage',
);
export const StreamAccessLogsResponse = root.lookupType(
  'envoy.service.accesslog.v3.StreamAccessLogsResponse',
);
export const Struct = root.lookupType('google.protobuf.Struct');

/** Plain-object conversion used for every decoded message: enums as names, 64-bit as numbers. */
export const toObjectOptions: protobuf.IConversionOptions = {
  enums: String,
  longs: Number,
  bytes: Buffer,
  defaults: false,
  oneofs: false,
};
