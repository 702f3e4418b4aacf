/**
 * Remote-write messages for protobufjs, field numbers from prometheus/prometheus prompb
 * (`types.proto`, `remote.proto`, `io/prometheus/write/v2/types.proto`; shared/reference/prometheus.md
 * sections 4-5). Only the fields we read are declared; unknown fields are skipped by the decoder.
 */
import protobuf from 'protobufjs';

const PROTO = `
syntax = "proto3";
package prometheus;
message WriteRequest {
  repeated TimeSeries timeseries = 1;
  repeated MetricMetadata metadata = 3;
}
message TimeSeries {
  repeated Label labels = 1;
  repeated Sample samples = 2;
  repeated Exemplar exemplars = 3;
  repeated Histogram histograms = 4;
}
message Label { string name = 1; string value = 2; }
message Sample { double value = 1; int64 timestamp = 2; }
message Exemplar { repeated Label labels = 1; double value = 2; int64 timestamp = 3; }
message MetricMetadata {
  enum MetricType { UNKNOWN = 0; COUNTER = 1; GAUGE = 2; HISTOGRAM = 3; GAUGEHISTOGRAM = 4; SUMMARY = 5; INFO = 6; STATESET = 7; }
  MetricType type = 1;
  string metric_family_name = 2;
  string help = 4;
  string unit = 5;
}
message BucketSpan { sint32 offset = 1; uint32 length = 2; }
message Histogram {
  oneof count { uint64 count_int = 1; double count_float = 2; }
  double sum = 3;
  sint32 schema = 4;
  double zero_threshold = 5;
  oneof zero_count { uint64 zero_count_int = 6; double zero_count_float = 7; }
  repeated BucketSpan negative_spans = 8;
  repeated sint64 negative_deltas = 9;
  repeated double negative_counts = 10;
  repeated BucketSpan positive_spans = 11;
  repeated sint64 positive_deltas = 12;
  repeated double positive_counts = 13;
  int32 reset_hint = 14;
  int64 timestamp = 15;
}
`;

const PROTO_V2 = `
syntax = "proto3";
package io.prometheus.write.v2;
message Request {
  repeated string symbols = 4;
  repeated TimeSeries timeseries = 5;
}
message TimeSeries {
  repeated uint32 labels_refs = 1;
  repeated Sample samples = 2;
  repeated Histogram histograms = 3;
  repeated Exemplar exemplars = 4;
  Metadata metadata = 5;
}
message Sample { double value = 1; int64 timestamp = 2; int64 start_timestamp = 3; }
message Exemplar { repeated uint32 labels_refs = 1; double value = 2; int64 timestamp = 3; }
message Histogram { int64 timestamp = 15; }
message Metadata {
  enum MetricType { METRIC_TYPE_UNSPECIFIED = 0; METRIC_TYPE_COUNTER = 1; METRIC_TYPE_GAUGE = 2; METRIC_TYPE_HISTOGRAM = 3; METRIC_TYPE_GAUGEHISTOGRAM = 4; METRIC_TYPE_SUMMARY = 5; METRIC_TYPE_INFO = 6; METRIC_TYPE_STATESET = 7; }
  MetricType type = 1;
  uint32 help_ref = 3;
  uint32 unit_ref = 4;
}
`;

const v1 = protobuf.parse(PROTO, { keepCase: true }).root;
const v2 = protobuf.parse(PROTO_V2, { keepCase: true }).root;

export const WriteRequest = v1.lookupType('prometheus.WriteRequest');
export const WriteRequestV2 = v2.lookupType('io.prometheus.write.v2.Request');

/** Plain shapes of the decoded messages (int64 fields decode to Long or number). */
export type Int64 = number | { toNumber(): number };

export interface PbLabel {
  name: string;
  value: string;
}
export interface PbSample {
  value: number;
  timestamp: Int64;
}
export interface PbTimeSeries {
  labels: PbLabel[];
  samples: PbSample[];
  histograms: unknown[];
}
export interface PbMetadata {
  type: number;
  metric_family_name: string;
}
export interface PbWriteRequest {
  timeseries: PbTimeSeries[];
  metadata: PbMetadata[];
}
export interface PbV2TimeSeries {
  labels_refs: number[];
  samples: PbSample[];
  histograms: unknown[];
  metadata?: { type: number } | null;
}
export interface PbV2Request {
  symbols: string[];
  timeseries: PbV2TimeSeries[];
}

/** Metadata type enum value (same numbers in v1 and v2) -> OpenMetrics-style type name. */
export const METADATA_TYPES = [
  'unknown',
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
];
