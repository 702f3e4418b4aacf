-- Inserts of up to 64k rows write Compact parts (all columns in one file) instead of Wide ones
-- (two files per column stream: otel_traces has about 60 streams, its TraceId projection as many
-- again). A batch of 20,000 spans is over the 10 MB default for a Wide part, so every insert
-- created a few hundred files; on the embedded engine that was about a fifth of the CPU the
-- engine spent per inserted row (npm run bench:ingest-traces). Merges still produce Wide parts
-- once a part reaches 64k rows (and 10 MB), so what queries read most is unchanged; small
-- inserts were Compact already.
ALTER TABLE {{local:otel_traces}}{{on_cluster}}
    MODIFY SETTING min_rows_for_wide_part = 65536;

ALTER TABLE {{local:mesh_requests}}{{on_cluster}}
    MODIFY SETTING min_rows_for_wide_part = 65536;
