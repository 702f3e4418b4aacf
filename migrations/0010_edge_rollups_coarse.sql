-- Coarser copies of edge_rollups_1m for long windows: 10-minute and hourly buckets with the
-- same key columns, so the counting rules (server/queries/edge-selection.ts) run on them as on
-- minutes. The rules pick one signal and reporter per minute; a bucket keeps, per row key, the
-- minutes it had traffic in (MinuteMask), and a signal wins a bucket only when it covers every
-- minute its destination saw traffic in (a signal that started or stopped inside the bucket
-- gives way to one that did not). Queries read whole hours from edge_rollups_1h, whole
-- 10 minutes from edge_rollups_10m, and only the window's ragged edges from edge_rollups_1m
-- (server/queries/rollup-levels.ts). No t-digest: the coarse levels serve counts, rates,
-- histogram percentiles and mTLS shares; exact-duration digests stay per minute.
--
-- Fed by materialized views on inserts into edge_rollups_1m (which the 0004/0007 views and the
-- metrics collector fill); existing minutes are copied once below, before the views exist, so
-- nothing is counted twice (migrations run before any receiver starts).
CREATE TABLE IF NOT EXISTS {{local:edge_rollups_10m}}{{on_cluster}} (
    -- start of the bucket (the column keeps the 1m table's name so one query reads all levels)
    Minute DateTime,
    Signal LowCardinality(String),
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
    Protocol LowCardinality(String),
    Mtls LowCardinality(String),
    ResponseCode UInt16,
    GrpcStatus LowCardinality(String),
    ResponseFlags LowCardinality(String),
    Requests SimpleAggregateFunction(sum, Float64),
    Connections SimpleAggregateFunction(sum, Float64),
    BytesSent SimpleAggregateFunction(sum, Float64),
    BytesReceived SimpleAggregateFunction(sum, Float64),
    DurationSumMs SimpleAggregateFunction(sum, Float64),
    DurationBuckets SimpleAggregateFunction(sumMap, Map(UInt64, Float64)),
    SampledRequests SimpleAggregateFunction(sum, Float64),
    -- bit i set: the row's key had traffic in minute i of the bucket
    MinuteMask SimpleAggregateFunction(groupBitOr, UInt64)
) ENGINE = {{engine:AggregatingMergeTree()}}
PARTITION BY toYYYYMMDD(Minute)
ORDER BY (Minute, DestinationNamespace, DestinationService, SourceNamespace, SourceWorkload,
          DestinationWorkload, Signal, Reporter, SourceCluster, SourceService, SourceVersion,
          SourcePrincipal, DestinationCluster, DestinationVersion, DestinationPrincipal, Protocol,
          Mtls, ResponseCode, GrpcStatus, ResponseFlags)
TTL Minute + toIntervalDay({{ttl_days:rollups}})
SETTINGS ttl_only_drop_parts = 1;

{{distributed:edge_rollups_10m|cityHash64(DestinationNamespace, DestinationService)}};

CREATE TABLE IF NOT EXISTS {{local:edge_rollups_1h}}{{on_cluster}} (
    -- start of the bucket (the column keeps the 1m table's name so one query reads all levels)
    Minute DateTime,
    Signal LowCardinality(String),
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
    Protocol LowCardinality(String),
    Mtls LowCardinality(String),
    ResponseCode UInt16,
    GrpcStatus LowCardinality(String),
    ResponseFlags LowCardinality(String),
    Requests SimpleAggregateFunction(sum, Float64),
    Connections SimpleAggregateFunction(sum, Float64),
    BytesSent SimpleAggregateFunction(sum, Float64),
    BytesReceived SimpleAggregateFunction(sum, Float64),
    DurationSumMs SimpleAggregateFunction(sum, Float64),
    DurationBuckets SimpleAggregateFunction(sumMap, Map(UInt64, Float64)),
    SampledRequests SimpleAggregateFunction(sum, Float64),
    -- bit i set: the row's key had traffic in minute i of the bucket
    MinuteMask SimpleAggregateFunction(groupBitOr, UInt64)
) ENGINE = {{engine:AggregatingMergeTree()}}
PARTITION BY toYYYYMM(Minute)
ORDER BY (Minute, DestinationNamespace, DestinationService, SourceNamespace, SourceWorkload,
          DestinationWorkload, Signal, Reporter, SourceCluster, SourceService, SourceVersion,
          SourcePrincipal, DestinationCluster, DestinationVersion, DestinationPrincipal, Protocol,
          Mtls, ResponseCode, GrpcStatus, ResponseFlags)
TTL Minute + toIntervalDay({{ttl_days:rollups}})
SETTINGS ttl_only_drop_parts = 1;

{{distributed:edge_rollups_1h|cityHash64(DestinationNamespace, DestinationService)}};

INSERT INTO {{table:edge_rollups_10m}}
SELECT
    toStartOfTenMinutes(m, 'UTC') AS Minute,
    Signal, Reporter, SourceCluster, SourceNamespace, SourceWorkload, SourceService,
    SourceVersion, SourcePrincipal, DestinationCluster, DestinationNamespace, DestinationWorkload,
    DestinationService, DestinationVersion, DestinationPrincipal, Protocol, Mtls, ResponseCode,
    GrpcStatus, ResponseFlags,
    sum(Requests) AS Requests,
    sum(Connections) AS Connections,
    sum(BytesSent) AS BytesSent,
    sum(BytesReceived) AS BytesReceived,
    sum(DurationSumMs) AS DurationSumMs,
    sumMap(DurationBuckets) AS DurationBuckets,
    sum(SampledRequests) AS SampledRequests,
    groupBitOr(bitShiftLeft(toUInt64(1), toMinute(m, 'UTC') % 10)) AS MinuteMask
FROM (SELECT *, Minute AS m FROM {{table:edge_rollups_1m}})
GROUP BY Minute, Signal, Reporter, SourceCluster, SourceNamespace, SourceWorkload, SourceService,
    SourceVersion, SourcePrincipal, DestinationCluster, DestinationNamespace, DestinationWorkload,
    DestinationService, DestinationVersion, DestinationPrincipal, Protocol, Mtls, ResponseCode,
    GrpcStatus, ResponseFlags;

INSERT INTO {{table:edge_rollups_1h}}
SELECT
    toStartOfHour(m, 'UTC') AS Minute,
    Signal, Reporter, SourceCluster, SourceNamespace, SourceWorkload, SourceService,
    SourceVersion, SourcePrincipal, DestinationCluster, DestinationNamespace, DestinationWorkload,
    DestinationService, DestinationVersion, DestinationPrincipal, Protocol, Mtls, ResponseCode,
    GrpcStatus, ResponseFlags,
    sum(Requests) AS Requests,
    sum(Connections) AS Connections,
    sum(BytesSent) AS BytesSent,
    sum(BytesReceived) AS BytesReceived,
    sum(DurationSumMs) AS DurationSumMs,
    sumMap(DurationBuckets) AS DurationBuckets,
    sum(SampledRequests) AS SampledRequests,
    groupBitOr(bitShiftLeft(toUInt64(1), toMinute(m, 'UTC'))) AS MinuteMask
FROM (SELECT *, Minute AS m FROM {{table:edge_rollups_1m}})
GROUP BY Minute, Signal, Reporter, SourceCluster, SourceNamespace, SourceWorkload, SourceService,
    SourceVersion, SourcePrincipal, DestinationCluster, DestinationNamespace, DestinationWorkload,
    DestinationService, DestinationVersion, DestinationPrincipal, Protocol, Mtls, ResponseCode,
    GrpcStatus, ResponseFlags;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.edge_rollups_10m_mv{{on_cluster}}
TO {{local:edge_rollups_10m}}
AS SELECT
    toStartOfTenMinutes(m, 'UTC') AS Minute,
    Signal, Reporter, SourceCluster, SourceNamespace, SourceWorkload, SourceService,
    SourceVersion, SourcePrincipal, DestinationCluster, DestinationNamespace, DestinationWorkload,
    DestinationService, DestinationVersion, DestinationPrincipal, Protocol, Mtls, ResponseCode,
    GrpcStatus, ResponseFlags,
    sum(Requests) AS Requests,
    sum(Connections) AS Connections,
    sum(BytesSent) AS BytesSent,
    sum(BytesReceived) AS BytesReceived,
    sum(DurationSumMs) AS DurationSumMs,
    sumMap(DurationBuckets) AS DurationBuckets,
    sum(SampledRequests) AS SampledRequests,
    groupBitOr(bitShiftLeft(toUInt64(1), toMinute(m, 'UTC') % 10)) AS MinuteMask
FROM (SELECT *, Minute AS m FROM {{local:edge_rollups_1m}})
GROUP BY Minute, Signal, Reporter, SourceCluster, SourceNamespace, SourceWorkload, SourceService,
    SourceVersion, SourcePrincipal, DestinationCluster, DestinationNamespace, DestinationWorkload,
    DestinationService, DestinationVersion, DestinationPrincipal, Protocol, Mtls, ResponseCode,
    GrpcStatus, ResponseFlags;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.edge_rollups_1h_mv{{on_cluster}}
TO {{local:edge_rollups_1h}}
AS SELECT
    toStartOfHour(m, 'UTC') AS Minute,
    Signal, Reporter, SourceCluster, SourceNamespace, SourceWorkload, SourceService,
    SourceVersion, SourcePrincipal, DestinationCluster, DestinationNamespace, DestinationWorkload,
    DestinationService, DestinationVersion, DestinationPrincipal, Protocol, Mtls, ResponseCode,
    GrpcStatus, ResponseFlags,
    sum(Requests) AS Requests,
    sum(Connections) AS Connections,
    sum(BytesSent) AS BytesSent,
    sum(BytesReceived) AS BytesReceived,
    sum(DurationSumMs) AS DurationSumMs,
    sumMap(DurationBuckets) AS DurationBuckets,
    sum(SampledRequests) AS SampledRequests,
    groupBitOr(bitShiftLeft(toUInt64(1), toMinute(m, 'UTC'))) AS MinuteMask
FROM (SELECT *, Minute AS m FROM {{local:edge_rollups_1m}})
GROUP BY Minute, Signal, Reporter, SourceCluster, SourceNamespace, SourceWorkload, SourceService,
    SourceVersion, SourcePrincipal, DestinationCluster, DestinationNamespace, DestinationWorkload,
    DestinationService, DestinationVersion, DestinationPrincipal, Protocol, Mtls, ResponseCode,
    GrpcStatus, ResponseFlags;
