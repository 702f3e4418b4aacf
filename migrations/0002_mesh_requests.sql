-- One row per proxied HTTP/gRPC request or TCP connection, from Envoy access logs (files, HTTP
-- push, gRPC ALS, OTLP logs). A request seen by both sidecars is two rows (Reporter tells them apart).
CREATE TABLE IF NOT EXISTS {{local:mesh_requests}}{{on_cluster}} (
    Timestamp DateTime64(3) CODEC(Delta(8), ZSTD(1)),
    -- 'http' or 'tcp'
    Kind LowCardinality(String),
    -- 'inbound' | 'outbound' | 'gateway' | 'unknown'
    Reporter LowCardinality(String),
    -- where the row came from: 'file', 'http_push', 'als', 'otlp_logs'
    Signal LowCardinality(String),
    SourceWorkload LowCardinality(String),
    SourceNamespace LowCardinality(String),
    SourceService LowCardinality(String),
    SourceVersion LowCardinality(String),
    SourcePrincipal String CODEC(ZSTD(1)),
    SourceCluster LowCardinality(String),
    SourceAddress String CODEC(ZSTD(1)),
    DestinationWorkload LowCardinality(String),
    DestinationNamespace LowCardinality(String),
    DestinationService LowCardinality(String),
    DestinationVersion LowCardinality(String),
    DestinationPrincipal String CODEC(ZSTD(1)),
    DestinationCluster LowCardinality(String),
    DestinationAddress String CODEC(ZSTD(1)),
    -- 'http', 'grpc' or 'tcp'
    Protocol LowCardinality(String),
    Method LowCardinality(String),
    Path String CODEC(ZSTD(1)),
    Authority LowCardinality(String),
    Route LowCardinality(String),
    -- 0 when the connection ended without a response
    ResponseCode UInt16,
    -- gRPC status name, '' when not gRPC
    GrpcStatus LowCardinality(String),
    ResponseFlags Array(LowCardinality(String)),
    DurationMs UInt32 CODEC(T64, ZSTD(1)),
    BytesReceived UInt64 CODEC(T64, ZSTD(1)),
    BytesSent UInt64 CODEC(T64, ZSTD(1)),
    RequestId String CODEC(ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    UpstreamCluster LowCardinality(String),
    UpstreamHost String CODEC(ZSTD(1)),
    UpstreamTransportFailureReason String CODEC(ZSTD(1)),
    -- 'yes' | 'no' | 'unknown': never guessed
    Mtls LowCardinality(String),
    TlsVersion LowCardinality(String),
    NodeId String CODEC(ZSTD(1)),
    Extra Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    INDEX idx_request_id RequestId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1
) ENGINE = {{engine:MergeTree()}}
PARTITION BY toDate(Timestamp)
ORDER BY (DestinationNamespace, DestinationService, toStartOfMinute(Timestamp), Timestamp)
TTL toDateTime(Timestamp) + toIntervalDay({{ttl_days:requests}})
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1;

{{distributed:mesh_requests|rand()}};
