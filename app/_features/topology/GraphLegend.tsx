/** What shapes, colours and marks on the graph mean. */
export function GraphLegend() {
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
        <li>
          <span className="lg-line ok" /> healthy ·{' '}
          <span className="lg-line warn" /> degraded ·{' '}
          <span className="lg-line bad" /> failing (error %)
        </li>
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
      </ul>
    </details>
  );
}
