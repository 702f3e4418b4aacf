/** OTLP logs messages, parsed once with protobufjs from proto/otlp-logs.proto (camelCase fields). */
import { otlpRoot } from '../otlp-common/proto-root';

const PACKAGE = 'opentelemetry.proto.collector.logs.v1';
const root = otlpRoot(new URL('./proto/otlp-logs.proto', import.meta.url));

export const LOGS_SERVICE = `${PACKAGE}.LogsService`;
export const ExportLogsServiceRequest = root.lookupType(
  `${PACKAGE}.ExportLogsServiceRequest`,
);
export const ExportLogsServiceResponse = root.lookupType(
  `${PACKAGE}.ExportLogsServiceResponse`,
);
