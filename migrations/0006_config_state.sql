-- Small config tables in the same store (one store to run). Rows are versioned: the newest
-- Version of an Id wins, Deleted = 1 hides it. Replicated to every node on a cluster.
CREATE TABLE IF NOT EXISTS {{global:alert_rules}}{{on_cluster}} (
    Id String,
    Name String,
    -- the rule as JSON (kind, scope, threshold, for, labels, annotations)
    Spec String,
    Enabled UInt8,
    Deleted UInt8 DEFAULT 0,
    Version UInt64,
    UpdatedAt DateTime64(3) DEFAULT now64(3),
    UpdatedBy String
) ENGINE = {{global_engine:ReplacingMergeTree(Version)}}
ORDER BY Id;

CREATE TABLE IF NOT EXISTS {{global:alert_state}}{{on_cluster}} (
    RuleId String,
    -- one rule can fire per label set (e.g. per service)
    Fingerprint String,
    Labels Map(String, String),
    -- 'inactive' | 'pending' | 'firing' | 'resolved'
    State LowCardinality(String),
    ActiveSince Nullable(DateTime64(3)),
    LastEvaluated DateTime64(3),
    Value Nullable(Float64),
    Version UInt64
) ENGINE = {{global_engine:ReplacingMergeTree(Version)}}
ORDER BY (RuleId, Fingerprint);

CREATE TABLE IF NOT EXISTS {{global:alert_history}}{{on_cluster}} (
    Timestamp DateTime64(3),
    RuleId String,
    Fingerprint String,
    FromState LowCardinality(String),
    ToState LowCardinality(String),
    Value Nullable(Float64),
    Labels Map(String, String)
) ENGINE = {{global_engine:MergeTree()}}
ORDER BY (RuleId, Timestamp)
TTL toDateTime(Timestamp) + toIntervalDay(90);

CREATE TABLE IF NOT EXISTS {{global:silences}}{{on_cluster}} (
    Id String,
    -- matchers as JSON
    Matchers String,
    StartsAt DateTime64(3),
    EndsAt DateTime64(3),
    Comment String,
    CreatedBy String,
    Deleted UInt8 DEFAULT 0,
    Version UInt64
) ENGINE = {{global_engine:ReplacingMergeTree(Version)}}
ORDER BY Id;

CREATE TABLE IF NOT EXISTS {{global:webhook_deliveries}}{{on_cluster}} (
    Timestamp DateTime64(3),
    NotificationId String,
    Destination String,
    Attempt UInt16,
    -- 'ok' | 'retry' | 'failed' | 'dead_letter'
    Status LowCardinality(String),
    HttpStatus UInt16,
    Error String,
    Payload String CODEC(ZSTD(3))
) ENGINE = {{global_engine:MergeTree()}}
ORDER BY (NotificationId, Timestamp)
TTL toDateTime(Timestamp) + toIntervalDay(30);

CREATE TABLE IF NOT EXISTS {{global:users}}{{on_cluster}} (
    Id String,
    Name String,
    -- 'viewer' | 'editor' | 'admin'
    Role LowCardinality(String),
    Namespaces Array(String),
    Deleted UInt8 DEFAULT 0,
    Version UInt64
) ENGINE = {{global_engine:ReplacingMergeTree(Version)}}
ORDER BY Id;

CREATE TABLE IF NOT EXISTS {{global:api_tokens}}{{on_cluster}} (
    Id String,
    Name String,
    -- sha256 of the token; the token itself is shown once and never stored
    TokenHash String,
    -- 'ui' | 'api' | 'ingest' | 'embed'
    Kind LowCardinality(String),
    Role LowCardinality(String),
    Namespaces Array(String),
    ExpiresAt Nullable(DateTime64(3)),
    Revoked UInt8 DEFAULT 0,
    CreatedAt DateTime64(3) DEFAULT now64(3),
    Version UInt64
) ENGINE = {{global_engine:ReplacingMergeTree(Version)}}
ORDER BY Id;

CREATE TABLE IF NOT EXISTS {{global:settings}}{{on_cluster}} (
    Key String,
    Value String,
    Version UInt64
) ENGINE = {{global_engine:ReplacingMergeTree(Version)}}
ORDER BY Key;
