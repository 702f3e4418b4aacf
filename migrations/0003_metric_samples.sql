-- Prometheus samples (scraped or remote_write), one series id per label set.
CREATE TABLE IF NOT EXISTS {{local:metric_series}}{{on_cluster}} (
    SeriesId UInt64,
    MetricName LowCardinality(String),
    Labels Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    LastSeen DateTime64(3)
) ENGINE = {{engine:ReplacingMergeTree(LastSeen)}}
ORDER BY (MetricName, SeriesId)
TTL toDateTime(LastSeen) + toIntervalDay({{ttl_days:metrics}});

{{distributed:metric_series|SeriesId}};

CREATE TABLE IF NOT EXISTS {{local:metric_samples}}{{on_cluster}} (
    MetricName LowCardinality(String),
    SeriesId UInt64,
    Timestamp DateTime64(3) CODEC(Delta(8), ZSTD(1)),
    Value Float64 CODEC(Gorilla, ZSTD(1)),
    -- counters: increase since the previous sample of the series (reset-aware); NULL otherwise
    Increase Nullable(Float64) CODEC(ZSTD(1)),
    -- 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped'
    MetricType LowCardinality(String),
    -- Prometheus staleness marker (stored as a flag, never as a number)
    Stale UInt8,
    -- 'scrape' | 'remote_write' | 'otlp'
    Source LowCardinality(String),
    Job LowCardinality(String),
    Instance LowCardinality(String)
) ENGINE = {{engine:MergeTree()}}
PARTITION BY toDate(Timestamp)
ORDER BY (MetricName, SeriesId, Timestamp)
TTL toDateTime(Timestamp) + toIntervalDay({{ttl_days:metrics}})
SETTINGS ttl_only_drop_parts = 1;

{{distributed:metric_samples|SeriesId}};
