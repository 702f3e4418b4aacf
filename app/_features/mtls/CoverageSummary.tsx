import { StatGrid } from '../../_components/StatGrid';
import { formatNumber, formatPercent } from '../charts/format';
import { CoverageBar } from './CoverageBar';
import type { Coverage } from './mtls-types';
import { shareOrNone, shareTone, trafficSplit } from './prepare-mtls';

/** The mesh's headline figures: request, connection and byte shares, and what is unknown. */
export function CoverageSummary({ mesh }: { mesh: Coverage }) {
  const split = trafficSplit(mesh);
  return (
    <div className="mtls-summary">
      <StatGrid
        label="Mesh mTLS coverage"
        items={[
          {
            label: 'Requests over mTLS',
            value: shareOrNone(mesh.requestShare, mesh.requests),
            tone: shareTone(mesh.requestShare),
            title:
              'HTTP/gRPC requests the destination reported as mutual TLS, among those it reported a policy for',
          },
          {
            label: 'Connections over mTLS',
            value: shareOrNone(mesh.connectionShare, mesh.connections),
            tone: shareTone(mesh.connectionShare),
            title: 'TCP connections, same rule',
          },
          {
            label: 'Bytes over mTLS',
            value: shareOrNone(mesh.byteShare, mesh.bytes),
            tone: shareTone(mesh.byteShare),
            title: 'Request + response bytes of traffic with a known policy',
          },
          {
            label: 'Unknown',
            value: formatPercent(mesh.unknownShare),
            tone: mesh.unknownShare > 0.5 ? 'warn' : undefined,
            title:
              'Traffic no destination reported a policy for: shown apart, never counted as either',
          },
          {
            label: 'Plaintext req+cx',
            value: formatNumber(split.plaintext),
            tone: split.plaintext > 0 ? 'bad' : undefined,
          },
        ]}
      />
      <CoverageBar split={split} unit="requests + connections" />
    </div>
  );
}
