-- Trace lookup by id (issue #7: p95 under 100 ms at 10 million spans). otel_traces is ordered by
-- service, operation and time, so one trace's spans lie in as many 8192-row granules as it has
-- spans, and reading the trace decompressed every column of all of them (p95 126 ms at 10 million
-- spans). This projection keeps the spans a second time ordered by TraceId: a trace is one granule,
-- and ClickHouse picks the projection by itself for `WHERE TraceId = ...` (no query change).
-- Cost: spans take about 2.5x the disk (sorted by a random id they compress worse) and each insert
-- sorts its block twice. Parts written before this migration get no projection (materialising it
-- would rewrite every stored span during start-up); reads of those parts use the bloom filter as
-- before until the span TTL drops them. To build it for them at a quiet time:
--   ALTER TABLE otel_traces MATERIALIZE PROJECTION by_trace_id
ALTER TABLE {{local:otel_traces}}{{on_cluster}}
    ADD PROJECTION IF NOT EXISTS by_trace_id (SELECT * ORDER BY TraceId);
