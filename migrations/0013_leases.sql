-- Leases: which replica of a role runs a job only one may run at a time (the alert evaluator).
-- A holder writes a row with ExpiresAt and renews it every tick; another replica takes over only
-- once ExpiresAt has passed. The newest (Version, Holder) of a Name wins: concurrent writers of
-- the same Version are ordered by Holder, so every reader picks the same winner.
-- Replicated to every node on a cluster, as the other config tables.
CREATE TABLE IF NOT EXISTS {{global:leases}}{{on_cluster}} (
    Name String,
    Holder String,
    ExpiresAt DateTime64(3),
    Version UInt64
) ENGINE = {{global_engine:ReplacingMergeTree(Version)}}
ORDER BY Name
TTL toDateTime(ExpiresAt) + toIntervalDay(1);
