-- Access control (docs/security.md): what a token may reach, besides its role and namespaces.
-- Receivers: for ingest tokens, the receivers it opens (otlp, zipkin, remote_write, access_log,
-- empty = all). Origins: for embed tokens, the pages allowed to frame the widget.
ALTER TABLE {{global:api_tokens}}{{on_cluster}}
    ADD COLUMN IF NOT EXISTS Receivers Array(String),
    ADD COLUMN IF NOT EXISTS Origins Array(String),
    ADD COLUMN IF NOT EXISTS CreatedBy String DEFAULT '';
