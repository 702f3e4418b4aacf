/**
 * Mesh requests (one row per sidecar access-log line, table mesh_requests): look-ups by time
 * window and request id, trace id, service or response flag. Always bounded by a time window.
 */
import type { Db } from '../db/client';
import { queryRows } from './clickhouse';

export interface RequestsFilter {
  /** Window start and end, Unix ms (end exclusive). */
  startMs: number;
  endMs: number;
  requestId?: string | undefined;
  traceId?: string | undefined;
  /** Service name (source or destination), optionally `name.namespace`. */
  service?: string | undefined;
  /** Short Envoy flag, e.g. 'UO'. */
  responseFlag?: string | undefined;
  /** Rows whose source or destination namespace is one of these (empty: any). */
  namespaces?: readonly string[] | undefined;
  /** Response code class: 2 = 2xx ... 5 = 5xx, 0 = no response (code 0). */
  codeClass?: number | undefined;
  /** Case-insensitive substring of the path or the authority. */
  text?: string | undefined;
  /** At most this many rows, newest first. */
  limit: number;
  /** Rows skipped before the first one returned (paging). */
  offset?: number | undefined;
}

export interface MeshPeer {
  workload: string;
  namespace: string;
  service: string;
  version: string;
  principal: string;
  cluster: string;
  address: string;
}

/** The view model of one mesh request (names as in docs/api.md). */
export interface MeshRequest {
  timestamp: string;
  kind: 'http' | 'tcp';
  reporter: 'inbound' | 'outbound' | 'gateway' | 'unknown';
  signal: string;
  protocol: string;
  method: string;
  path: string;
  authority: string;
  route: string;
  responseCode: number;
  grpcStatus: string;
  responseFlags: string[];
  durationMs: number;
  bytesReceived: number;
  bytesSent: number;
  requestId: string;
  traceId: string;
  mtls: 'yes' | 'no' | 'unknown';
  tlsVersion: string;
  upstreamCluster: string;
  upstreamHost: string;
  upstreamTransportFailureReason: string;
  nodeId: string;
  source: MeshPeer;
  destination: MeshPeer;
  extra: Record<string, string>;
}

interface MeshRequestRowOut {
  Timestamp: string;
  Kind: MeshRequest['kind'];
  Reporter: MeshRequest['reporter'];
  Signal: string;
  Protocol: string;
  Method: string;
  Path: string;
  Authority: string;
  Route: string;
  ResponseCode: number;
  GrpcStatus: string;
  ResponseFlags: string[];
  DurationMs: number;
  BytesReceived: number | string;
  BytesSent: number | string;
  RequestId: string;
  TraceId: string;
  Mtls: MeshRequest['mtls'];
  TlsVersion: string;
  UpstreamCluster: string;
  UpstreamHost: string;
  UpstreamTransportFailureReason: string;
  NodeId: string;
  Extra: Record<string, string>;
  [peerField: string]: unknown;
}

function peer(
  row: MeshRequestRowOut,
  side: 'Source' | 'Destination',
): MeshPeer {
  const s = (k: string) => {
    const v = row[`${side}${k}`];
    return typeof v === 'string' ? v : '';
  };
  return {
    workload: s('Workload'),
    namespace: s('Namespace'),
    service: s('Service'),
    version: s('Version'),
    principal: s('Principal'),
    cluster: s('Cluster'),
    address: s('Address'),
  };
}

/** Storage row -> view model. */
export function toMeshRequest(row: MeshRequestRowOut): MeshRequest {
  return {
    timestamp: row.Timestamp.endsWith('Z')
      ? row.Timestamp
      : `${row.Timestamp.replace(' ', 'T')}Z`,
    kind: row.Kind,
    reporter: row.Reporter,
    signal: row.Signal,
    protocol: row.Protocol,
    method: row.Method,
    path: row.Path,
    authority: row.Authority,
    route: row.Route,
    responseCode: Number(row.ResponseCode),
    grpcStatus: row.GrpcStatus,
    responseFlags: row.ResponseFlags,
    durationMs: Number(row.DurationMs),
    bytesReceived: Number(row.BytesReceived),
    bytesSent: Number(row.BytesSent),
    requestId: row.RequestId,
    traceId: row.TraceId,
    mtls: row.Mtls,
    tlsVersion: row.TlsVersion,
    upstreamCluster: row.UpstreamCluster,
    upstreamHost: row.UpstreamHost,
    upstreamTransportFailureReason: row.UpstreamTransportFailureReason,
    nodeId: row.NodeId,
    source: peer(row, 'Source'),
    destination: peer(row, 'Destination'),
    extra: row.Extra,
  };
}

/** Mesh requests in a window matching every given filter, newest first. */
export async function listMeshRequests(
  db: Db,
  f: RequestsFilter,
): Promise<MeshRequest[]> {
  const [serviceName = '', serviceNs = ''] = (f.service ?? '').split('.', 2);
  const rows = await queryRows<MeshRequestRowOut>(db, {
    what: 'reading mesh requests',
    query: `SELECT * EXCEPT (Extra), CAST(Extra, 'Map(String, String)') AS Extra
              FROM {db:Identifier}.mesh_requests
             WHERE Timestamp >= fromUnixTimestamp64Milli({start:Int64})
               AND Timestamp < fromUnixTimestamp64Milli({end:Int64})
               AND ({requestId:String} = '' OR RequestId = {requestId:String})
               AND ({traceId:String} = '' OR TraceId = {traceId:String})
               AND ({service:String} = ''
                    OR ((DestinationService = {service:String} OR DestinationWorkload = {service:String})
                        AND ({serviceNs:String} = '' OR DestinationNamespace = {serviceNs:String}))
                    OR ((SourceService = {service:String} OR SourceWorkload = {service:String})
                        AND ({serviceNs:String} = '' OR SourceNamespace = {serviceNs:String})))
               AND ({flag:String} = '' OR has(ResponseFlags, {flag:String}))
               AND (empty({namespaces:Array(String)})
                    OR has({namespaces:Array(String)}, SourceNamespace)
                    OR has({namespaces:Array(String)}, DestinationNamespace))
               AND ({codeClass:Int16} < 0 OR intDiv(ResponseCode, 100) = {codeClass:Int16})
               AND ({text:String} = ''
                    OR positionCaseInsensitiveUTF8(Path, {text:String}) > 0
                    OR positionCaseInsensitiveUTF8(Authority, {text:String}) > 0)
             ORDER BY Timestamp DESC, Reporter, RequestId
             LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
    params: {
      db: db.database,
      start: Math.floor(f.startMs),
      end: Math.ceil(f.endMs),
      requestId: f.requestId ?? '',
      traceId: (f.traceId ?? '').toLowerCase(),
      service: serviceName,
      serviceNs,
      flag: f.responseFlag ?? '',
      namespaces: [...(f.namespaces ?? [])],
      codeClass: f.codeClass ?? -1,
      text: f.text ?? '',
      limit: f.limit,
      offset: f.offset ?? 0,
    },
  });
  return rows.map(toMeshRequest);
}
