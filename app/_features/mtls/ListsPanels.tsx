import { formatNumber, formatRate } from '../charts/format';
import type { EdgeRow, Identities, WorkloadRow } from './mtls-types';
import { peerName, serviceName, shareText } from './prepare-mtls';

/** Workloads that received both mutual TLS and plaintext (PERMISSIVE in practice). */
export function MixedWorkloads({ workloads }: { workloads: WorkloadRow[] }) {
  if (workloads.length === 0)
    return (
      <p className="empty-inline">
        No workload received both mutual TLS and plaintext in this window.
      </p>
    );
  return (
    <table
      className="data-table compact mtls-table"
      aria-label="Workloads receiving both"
    >
      <thead>
        <tr>
          <th>Workload</th>
          <th className="num">mTLS share</th>
          <th className="num">Plaintext req+cx</th>
          <th>Plaintext from</th>
        </tr>
      </thead>
      <tbody>
        {workloads.map((w) => (
          <tr key={`${w.namespace}/${w.workload}`}>
            <td>{peerName(w)}</td>
            <td className="num tone-warn">
              {shareText(w.requestShare ?? w.connectionShare)}
            </td>
            <td className="num">
              {formatNumber(w.requests.plaintext + w.connections.plaintext)}
            </td>
            <td>{w.plaintextCallers.map(peerName).join(', ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Traffic from callers no proxy knew: no sidecar, or outside the mesh. */
export function SidecarlessSources({
  edges,
}: {
  edges: (EdgeRow & { addresses: string[] })[];
}) {
  if (edges.length === 0)
    return (
      <p className="empty-inline">
        Every caller in this window runs a sidecar (or a gateway).
      </p>
    );
  return (
    <table
      className="data-table compact mtls-table"
      aria-label="Sources without a sidecar"
    >
      <thead>
        <tr>
          <th>Into</th>
          <th>Protocol</th>
          <th className="num">Req+cx/s</th>
          <th className="num">mTLS share</th>
          <th>Client addresses</th>
        </tr>
      </thead>
      <tbody>
        {edges.map((e) => (
          <tr key={e.id}>
            <td>{serviceName(e.destination)}</td>
            <td>{e.protocol}</td>
            <td className="num">{formatRate(e.perSecond)}</td>
            <td className="num">
              {shareText(e.requestShare ?? e.connectionShare)}
            </td>
            <td className="muted">
              {e.addresses.length > 0 ? e.addresses.join(', ') : '–'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** SPIFFE identities per workload, and which identity called which. */
export function IdentityTables({ identities }: { identities: Identities }) {
  if (identities.workloads.length === 0 && identities.edges.length === 0)
    return (
      <p className="empty-inline">
        No SPIFFE identity seen: principals travel only on mutual TLS, in Istio
        metrics (source_principal, destination_principal) or access logs that
        log the URI SANs (see docs/mtls.md).
      </p>
    );
  return (
    <div className="mtls-grid">
      <table
        className="data-table compact mtls-table"
        aria-label="Identities per workload"
      >
        <thead>
          <tr>
            <th>Workload</th>
            <th>SPIFFE identity</th>
            <th>As</th>
            <th className="num">Req+cx</th>
          </tr>
        </thead>
        <tbody>
          {identities.workloads.map((w) => (
            <tr key={`${w.namespace}/${w.workload}/${w.principal}`}>
              <td>{peerName(w)}</td>
              <td>
                <code>{w.principal}</code>
              </td>
              <td>{w.roles.join(', ')}</td>
              <td className="num">{formatNumber(w.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table
        className="data-table compact mtls-table"
        aria-label="Who calls whom by identity"
      >
        <thead>
          <tr>
            <th>Caller identity</th>
            <th>Called identity</th>
            <th className="num">Req+cx</th>
          </tr>
        </thead>
        <tbody>
          {identities.edges.map((e) => (
            <tr key={`${e.sourcePrincipal} ${e.destinationPrincipal}`}>
              <td title={e.sourceWorkloads.join(', ')}>
                <code>{e.sourcePrincipal}</code>
              </td>
              <td title={e.destinationWorkloads.join(', ')}>
                <code>{e.destinationPrincipal}</code>
              </td>
              <td className="num">{formatNumber(e.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
