-- Spans -> edge rollups (Signal = 'spans'), so topology works from traces alone. Fires on every
-- insert into otel_traces, Meshlens' own and otelcol-contrib's alike.
--
-- A materialized view sees one insert block, so it cannot pair a client span with its server
-- child. It does not need to: an Istio proxy span knows both ends on its own.
--   * CLIENT span (caller's sidecar, or a gateway: gateway spans are client-kind up to Istio
--     1.27, grafana/tempo#1418) -> Reporter 'source': source = the proxy itself (canonical
--     service, namespace, workload from node_id), destination = its upstream_cluster
--     ('outbound|9080|v1|reviews.bookinfo.svc.cluster.local' -> reviews, bookinfo, version v1).
--   * Entry into the mesh -> Reporter 'destination', source 'unknown': a SERVER span with no
--     parent (client outside the mesh or untraced: Istio >= 1.28 gateways' downstream span too),
--     or a gateway (router~) CLIENT span with no parent (Istio <= 1.27 gateways).
--   * SERVER spans with a parent are skipped: their parent CLIENT span already counted the
--     request, and a second, source-less row would double it (DESIGN.md "count each request once").
-- Only proxy spans count (component = 'proxy' or an upstream_cluster tag); app spans would
-- double the proxies' requests. The identity rules mirror meshIdentityOf() in
-- collectors/sources/traces-shared/istio-service.ts; Istio >= 1.30 waypoint tags
-- istio.source_* / istio.destination_* win where present.
-- Requests are weighted by 1 / sampling probability when a span says it: the W3C tracestate
-- 'ot=th:<hex>' threshold (OTel probability sampling) or Jaeger's sampler.type=probabilistic +
-- sampler.param; otherwise weight 1 (a lower bound). SampledRequests counts spans as seen.
-- Mtls is 'unknown' unless the span carries connection_security_policy (an Istio customTag):
-- 'mutual_tls' -> 'yes', 'none' -> 'no'. Latency buckets and digest as in 0004 (microseconds).
CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.edge_rollups_1m_from_spans_mv{{on_cluster}}
TO {{local:edge_rollups_1m}}
AS SELECT
    toStartOfMinute(Timestamp) AS Minute,
    'spans' AS Signal,
    Reporter,
    if(Reporter = 'source', coalesce(nullIf(attr['istio.source_cluster_id'], ''), own_cluster), '') AS SourceCluster,
    if(Reporter = 'source', coalesce(nullIf(attr['istio.source_namespace'], ''), own_namespace), 'unknown') AS SourceNamespace,
    if(Reporter = 'source', coalesce(nullIf(attr['istio.source_workload'], ''), own_workload), 'unknown') AS SourceWorkload,
    if(Reporter = 'source', coalesce(nullIf(attr['istio.source_canonical_service'], ''), own_service), 'unknown') AS SourceService,
    if(Reporter = 'source', coalesce(nullIf(attr['istio.source_canonical_revision'], ''), own_version), '') AS SourceVersion,
    '' AS SourcePrincipal,
    if(Reporter = 'source', attr['istio.destination_cluster_id'], own_cluster) AS DestinationCluster,
    if(Reporter = 'source', coalesce(nullIf(attr['istio.destination_namespace'], ''), up_namespace), own_namespace) AS DestinationNamespace,
    if(Reporter = 'source', attr['istio.destination_workload'], own_workload) AS DestinationWorkload,
    if(Reporter = 'source', coalesce(nullIf(attr['istio.destination_canonical_service'], ''), up_service), own_service) AS DestinationService,
    if(Reporter = 'source', coalesce(nullIf(attr['istio.destination_canonical_revision'], ''), up_subset), own_version) AS DestinationVersion,
    '' AS DestinationPrincipal,
    if(grpc_code != '', 'grpc', 'http') AS Protocol,
    multiIf(attr['connection_security_policy'] = 'mutual_tls', 'yes',
            attr['connection_security_policy'] = 'none', 'no', 'unknown') AS Mtls,
    toUInt16OrZero(coalesce(nullIf(attr['http.status_code'], ''), attr['http.response.status_code'])) AS ResponseCode,
    if(grpc_code = '', '',
       arrayElement(['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND',
                     'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION',
                     'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS',
                     'UNAUTHENTICATED'], toUInt8OrZero(grpc_code) + 1)) AS GrpcStatus,
    if(attr['response_flags'] IN ('', '-'), '',
       arrayStringConcat(arraySort(splitByChar(',', attr['response_flags'])), ',')) AS ResponseFlags,
    sum(weight) AS Requests,
    toFloat64(0) AS Connections,
    toFloat64(sum(toUInt64OrZero(attr['response_size']))) AS BytesSent,
    toFloat64(sum(toUInt64OrZero(attr['request_size']))) AS BytesReceived,
    sum(weight * Duration / 1e6) AS DurationSumMs,
    sumMap(map(
        arrayFirst(b -> toFloat64(Duration) / 1000 <= toFloat64(b),
            [500, 1000, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000,
             5000000, 10000000, 30000000, 60000000, 300000000, 600000000, 1800000000,
             3600000000, 18446744073709551615]),
        weight)) AS DurationBuckets,
    quantilesTDigestState(0.5, 0.9, 0.95, 0.99)(toFloat64(Duration) / 1e6) AS DurationDigest,
    toFloat64(count()) AS SampledRequests
FROM (
    SELECT
        Timestamp,
        Duration,
        SpanAttributes AS attr,
        arrayJoin(arrayConcat(
            if(SpanKind = 'Client', ['source'], []),
            if(ParentSpanId = '' AND (SpanKind = 'Server' OR (SpanKind = 'Client' AND startsWith(attr['node_id'], 'router~'))),
               ['destination'], []))) AS Reporter,
        -- the proxy that recorded the span (meshIdentityOf)
        splitByChar('~', attr['node_id']) AS node_parts,
        if(length(node_parts) = 4, node_parts[3], '') AS pod_dot_ns,
        if(position(pod_dot_ns, '.') > 1, replaceRegexpOne(pod_dot_ns, '\\.[^.]*$', ''), pod_dot_ns) AS pod,
        if(position(pod_dot_ns, '.') > 1, replaceRegexpOne(pod_dot_ns, '^.*\\.', ''), '') AS node_namespace,
        coalesce(nullIf(attr['istio.namespace'], ''), nullIf(node_namespace, ''),
                 if(position(ServiceName, '.') > 1, replaceRegexpOne(ServiceName, '^.*\\.', ''), '')) AS own_namespace,
        coalesce(nullIf(attr['istio.canonical_service'], ''),
                 if(own_namespace != '' AND endsWith(ServiceName, concat('.', own_namespace)) AND length(ServiceName) > length(own_namespace) + 1,
                    substring(ServiceName, 1, length(ServiceName) - length(own_namespace) - 1), ServiceName)) AS own_service,
        multiIf(match(pod, '^.+-[a-z0-9]{6,10}-[a-z0-9]{5}$'), replaceRegexpOne(pod, '-[a-z0-9]{6,10}-[a-z0-9]{5}$', ''),
                match(pod, '^.+-[a-z0-9]{5}$'), replaceRegexpOne(pod, '-[a-z0-9]{5}$', ''), pod) AS own_workload,
        attr['istio.canonical_revision'] AS own_version,
        attr['istio.cluster_id'] AS own_cluster,
        -- where a client span went (parseUpstreamCluster)
        splitByChar('|', replaceRegexpOne(attr['upstream_cluster'], ';$', '')) AS up_parts,
        if(length(up_parts) = 4, up_parts[4], attr['upstream_cluster']) AS up_host,
        extract(up_host, '^([^.]+)\\.[^.]+\\.svc(?:\\.|$)') AS up_k8s_service,
        if(up_k8s_service != '', up_k8s_service, if(up_host != '', up_host, 'unknown')) AS up_service,
        if(up_k8s_service != '', extract(up_host, '^[^.]+\\.([^.]+)\\.svc(?:\\.|$)'), '') AS up_namespace,
        if(length(up_parts) = 4, up_parts[3], '') AS up_subset,
        coalesce(nullIf(attr['grpc.status_code'], ''), attr['rpc.grpc.status_code']) AS grpc_code,
        -- 1 / sampling probability; th is the OTel rejection threshold in 56 bits (1-14 hex digits)
        extract(TraceState, '(?:^|,)\\s*ot=(?:[^,]*;)?th:([0-9a-f]{1,14})') AS th,
        multiIf(
            th != '', 72057594037927936 / (72057594037927936 - toFloat64(reinterpretAsUInt64(reverse(unhex(concat('00', rightPad(th, 14, '0'))))))),
            attr['sampler.type'] = 'probabilistic' AND toFloat64OrZero(attr['sampler.param']) > 0, 1 / toFloat64OrZero(attr['sampler.param']),
            1.0) AS weight
    FROM {{local:otel_traces}}
    WHERE SpanKind IN ('Client', 'Server')
      AND (SpanAttributes['component'] = 'proxy' OR SpanAttributes['upstream_cluster'] != '')
)
GROUP BY Minute, Reporter, SourceCluster, SourceNamespace, SourceWorkload, SourceService,
    SourceVersion, SourcePrincipal, DestinationCluster, DestinationNamespace, DestinationWorkload,
    DestinationService, DestinationVersion, DestinationPrincipal, Protocol, Mtls, ResponseCode,
    GrpcStatus, ResponseFlags;
