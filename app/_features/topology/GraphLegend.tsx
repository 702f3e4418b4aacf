import type { EdgeColorKey, HealthPercents } from './url-state';

/** What shapes, colours and marks on the graph mean (edge colours follow the chosen colouring). */
export function GraphLegend({
  edgeColor = 'health',
  health,
}: {
  edgeColor?: EdgeColorKey;
  health?: HealthPercents;
}) {
  return (
    <details className="graph-legend">
      <summary>Legend</summary>
      <ul>
        <li>
          <span className="lg lg-workload" /> workload
        </li>
        <li>
          <span className="lg lg-app" /> app version
        </li>
        <li>
          <span className="lg lg-service" /> service
        </li>
        <li>
          <span className="lg lg-gateway" /> gateway
        </li>
        <li>
          <span className="lg lg-external" /> external host
        </li>
        <li>
          <span className="lg lg-unknown" /> unknown (outside the mesh)
        </li>
        {edgeColor === 'mtls' ? (
          <li data-testid="legend-mtls">
            <span className="lg-line ok" /> all mTLS ·{' '}
            <span className="lg-line warn" /> partly mTLS ·{' '}
            <span className="lg-line bad" /> plaintext ·{' '}
            <span className="lg-line unknown" /> unknown (edge colour)
          </li>
        ) : (
          <li>
            <span className="lg-line ok" /> healthy ·{' '}
            <span className="lg-line warn" /> degraded
            {health ? ` (≥ ${health.degraded} % errors)` : ''} ·{' '}
            <span className="lg-line bad" /> failing
            {health ? ` (≥ ${health.failure} % errors)` : ' (error %)'}
          </li>
        )}
        <li>
          <span className="lg-line tcp" /> TCP ·{' '}
          <span className="lg-line dashed" /> plaintext ·{' '}
          <span className="lg-line idle" /> idle
        </li>
        <li>
          <span className="lg-lock" /> all mTLS ·{' '}
          <span className="lg-lock partial" /> partly mTLS
        </li>
        <li>
          <span className="lg-line inferred" /> served by (inferred, no figures)
        </li>
        <li>
          boxes: cluster (double line, when the graph spans clusters) ›
          namespace (dashed) › app (solid, versioned app graph)
        </li>
      </ul>
    </details>
  );
}
