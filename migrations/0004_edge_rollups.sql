-- Per-minute traffic between two mesh nodes, from any signal. Latency is kept as Istio/Envoy
-- histogram buckets (non-cumulative counts keyed by the bucket's upper bound in microseconds,
-- 18446744073709551615 for +Inf), so metrics, logs and spans merge; exact-duration sources also
-- fill a t-digest. Dashboards over long ranges read this table, never raw rows.
CREATE TABLE IF NOT EXISTS {{local:edge_rollups_1m}}{{on_cluster}} (
    Minute DateTime,
    -- 'metrics' | 'access_log' | 'spans'
    Signal LowCardinality(String),
    -- 'source' | 'destination' (Istio's reporter): count each request once at query time
    Reporter LowCardinality(String),
    SourceCluster LowCardinality(String),
    SourceNamespace LowCardinality(String),
    SourceWorkload LowCardinality(String),
    SourceService LowCardinality(String),
    SourceVersion LowCardinality(String),
    SourcePrincipal LowCardinality(String),
    DestinationCluster LowCardinality(String),
    DestinationNamespace LowCardinality(String),
    DestinationWorkload LowCardinality(String),
    DestinationService LowCardinality(String),
    DestinationVersion LowCardinality(String),
    DestinationPrincipal LowCardinality(String),
    -- 'http' | 'grpc' | 'tcp'
    Protocol LowCardinality(String),
    -- 'yes' | 'no' | 'unknown'
    Mtls LowCardinality(String),
    ResponseCode UInt16,
    GrpcStatus LowCardinality(String),
    -- sorted, comma-joined short names ('' for none)
    ResponseFlags LowCardinality(String),
    Requests SimpleAggregateFunction(sum, Float64),
    -- TCP: connections opened
    Connections SimpleAggregateFunction(sum, Float64),
    BytesSent SimpleAggregateFunction(sum, Float64),
    BytesReceived SimpleAggregateFunction(sum, Float64),
    DurationSumMs SimpleAggregateFunction(sum, Float64),
    DurationBuckets SimpleAggregateFunction(sumMap, Map(UInt64, Float64)),
    DurationDigest AggregateFunction(quantilesTDigest(0.5, 0.9, 0.95, 0.99), Float64),
    -- spans are often sampled: requests here are already scaled; this counts what was seen
    SampledRequests SimpleAggregateFunction(sum, Float64)
) ENGINE = {{engine:AggregatingMergeTree()}}
PARTITION BY toYYYYMMDD(Minute)
ORDER BY (Minute, DestinationNamespace, DestinationService, SourceNamespace, SourceWorkload,
          DestinationWorkload, Signal, Reporter, SourceCluster, SourceService, SourceVersion,
          SourcePrincipal, DestinationCluster, DestinationVersion, DestinationPrincipal, Protocol,
          Mtls, ResponseCode, GrpcStatus, ResponseFlags)
TTL Minute + toIntervalDay({{ttl_days:rollups}})
SETTINGS ttl_only_drop_parts = 1;

{{distributed:edge_rollups_1m|cityHash64(DestinationNamespace, DestinationService)}};

-- Access logs -> rollups. The client sidecar's 'outbound' line and a gateway's line are the
-- source reporter; the server sidecar's 'inbound' line is the destination reporter.
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.edge_rollups_1m_from_requests_mv{{on_cluster}}
TO {{local:edge_rollups_1m}}
AS SELECT
    toStartOfMinute(Timestamp) AS Minute,
    'access_log' AS Signal,
    if(Reporter = 'inbound', 'destination', 'source') AS Reporter,
    SourceCluster, SourceNamespace, SourceWorkload, SourceService, SourceVersion,
    SourcePrincipal,
    DestinationCluster, DestinationNamespace, DestinationWorkload, DestinationService,
    DestinationVersion, DestinationPrincipal,
    Protocol, Mtls, ResponseCode, GrpcStatus,
    arrayStringConcat(arraySort(ResponseFlags), ',') AS ResponseFlags,
    toFloat64(countIf(Kind != 'tcp')) AS Requests,
    toFloat64(countIf(Kind = 'tcp')) AS Connections,
    toFloat64(sum(BytesSent)) AS BytesSent,
    toFloat64(sum(BytesReceived)) AS BytesReceived,
    toFloat64(sumIf(DurationMs, Kind != 'tcp')) AS DurationSumMs,
    sumMapIf(map(
        arrayFirst(b -> toFloat64(DurationMs) * 1000 <= toFloat64(b),
            [500, 1000, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000,
             5000000, 10000000, 30000000, 60000000, 300000000, 600000000, 1800000000,
             3600000000, 18446744073709551615]),
        toFloat64(1)), Kind != 'tcp') AS DurationBuckets,
    quantilesTDigestStateIf(0.5, 0.9, 0.95, 0.99)(toFloat64(DurationMs), Kind != 'tcp') AS DurationDigest,
    toFloat64(countIf(Kind != 'tcp')) AS SampledRequests
FROM {{local:mesh_requests}}
WHERE Reporter != 'unknown'
GROUP BY Minute, Reporter, SourceCluster, SourceNamespace, SourceWorkload, SourceService,
    SourceVersion, SourcePrincipal, DestinationCluster, DestinationNamespace, DestinationWorkload,
    DestinationService, DestinationVersion, DestinationPrincipal, Protocol, Mtls, ResponseCode,
    GrpcStatus, ResponseFlags;
