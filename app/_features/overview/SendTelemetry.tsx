import { CodeBlock } from '../../_components/CodeBlock';
import { Panel } from '../../_components/Panel';
import { IstioSnippets } from './IstioSnippets';
import { ListenerTable } from './ListenerTable';
import { otelSdkSnippet } from './istio-snippets';
import {
  describeListeners,
  findListener,
  type StatusOverview,
} from './prepare-overview';

/** How to get telemetry into Meshlens: the live endpoints, an SDK setup, Istio, or the demo. */
export function SendTelemetry({
  listeners,
  roles,
  leading,
}: {
  listeners: StatusOverview['listeners'];
  roles: StatusOverview['roles'];
  /** True while no table has rows: the panel then explains more. */
  leading: boolean;
}) {
  const views = describeListeners(listeners);
  const ingest = views.filter((l) => l.name !== 'web');
  const otlpHttp = findListener(listeners, 'otlp-http')?.url;
  return (
    <Panel
      id="send-telemetry"
      title={leading ? 'Send telemetry to get started' : 'Send telemetry'}
    >
      {leading ? (
        <p className="lead">
          No telemetry has arrived yet. Point your mesh or your applications at
          the endpoints below, or start the simulated Bookinfo mesh with{' '}
          <code>npm run demo</code> to see every view filled within a minute.
        </p>
      ) : null}

      {ingest.length > 0 ? (
        <ListenerTable listeners={views} />
      ) : (
        <p className="notice notice-warn">
          This process runs no collector (roles:{' '}
          {roles.join(', ') || 'none reported'}), so it receives no telemetry
          itself: send it to the Meshlens instances started with the{' '}
          <code>collector</code> role.
        </p>
      )}

      <div className="snippet-grid">
        <CodeBlock
          title="Simulated mesh (Bookinfo)"
          language="shell"
          code={'npm run demo\n'}
        />
        {otlpHttp ? (
          <CodeBlock
            title="Any OpenTelemetry SDK or Collector"
            language="shell"
            code={otelSdkSnippet(otlpHttp)}
          />
        ) : null}
      </div>

      <IstioSnippets listeners={listeners} />
    </Panel>
  );
}
