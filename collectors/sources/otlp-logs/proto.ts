/** OTLP logs messages, parsed once with protobufjs from proto/otlp-logs.proto (camelCase fields). */
import fs from 'node:fs';
import protobuf from 'protobufjs';

const PACKAGE = 'opentelemetry.proto.collector.logs.v1';
const text = fs.readFileSync(
  new URL('./proto/otlp-logs.proto', import.meta.url),
  'utf8',
);
const root = protobuf.parse(text, { keepCase: false }).root;

export const LOGS_SERVICE = `${PACKAGE}.LogsService`;
export const ExportLogsServiceRequest = root.lookupType(
  `${PACKAGE}.ExportLogsServiceRequest`,
);
export const ExportLogsServiceResponse = root.lookupType(
  `${PACKAGE}.ExportLogsServiceResponse`,
);
