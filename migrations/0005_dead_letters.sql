-- Records a receiver could not use, with the reason, so nothing accepted disappears silently.
CREATE TABLE IF NOT EXISTS {{local:dead_letters}}{{on_cluster}} (
    Timestamp DateTime64(3) DEFAULT now64(3),
    -- the receiver: 'otlp_traces', 'zipkin', 'access_log', 'remote_write', ...
    Source LowCardinality(String),
    Reason String,
    -- the offending record or a prefix of it (truncated to 64 KiB; see PayloadBytes)
    Payload String CODEC(ZSTD(3)),
    PayloadBytes UInt64,
    Remote String
) ENGINE = {{engine:MergeTree()}}
PARTITION BY toDate(Timestamp)
ORDER BY (Source, Timestamp)
TTL toDateTime(Timestamp) + toIntervalDay({{ttl_days:deadLetters}})
SETTINGS ttl_only_drop_parts = 1;

{{distributed:dead_letters|rand()}};
