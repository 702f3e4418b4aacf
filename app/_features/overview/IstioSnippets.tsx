'use client';

import { useId, useState } from 'react';
import { CodeBlock } from '../../_components/CodeBlock';
import {
  meshConfigSnippet,
  suggestMeshHost,
  telemetrySnippet,
} from './istio-snippets';
import {
  findListener,
  hostOf,
  portOf,
  type StatusOverview,
} from './prepare-overview';

/**
 * Istio configuration for this Meshlens: the extension providers (meshConfig) and the Telemetry
 * resource that turns tracing and access logging on. The address is editable because the one
 * the sidecars use (a Service name) usually differs from the one the listeners bind.
 */
export function IstioSnippets({
  listeners,
}: {
  listeners: StatusOverview['listeners'];
}) {
  const grpc = findListener(listeners, 'otlp-grpc')?.url;
  const zipkin = findListener(listeners, 'zipkin')?.url;
  const [host, setHost] = useState(() => suggestMeshHost(hostOf(grpc)));
  const inputId = useId();
  const target = {
    host: host.trim() || suggestMeshHost(undefined),
    otlpGrpcPort: portOf(grpc, 4317),
    zipkinPort: portOf(zipkin, 9411),
  };
  return (
    <div className="istio">
      <h3>Istio</h3>
      <p className="muted">
        Declare Meshlens as extension providers in the mesh config, then enable
        them for the mesh (or a namespace) with a <code>Telemetry</code>{' '}
        resource.
      </p>
      <label className="field" htmlFor={inputId}>
        <span>Meshlens address as seen from the sidecars</span>
        <input
          id={inputId}
          type="text"
          value={host}
          spellCheck={false}
          onChange={(e) => setHost(e.target.value)}
        />
      </label>
      <div className="snippet-grid">
        <CodeBlock
          title="1. meshConfig.extensionProviders"
          language="yaml"
          code={meshConfigSnippet(target)}
        />
        <CodeBlock
          title="2. Telemetry resource"
          language="yaml"
          code={telemetrySnippet()}
        />
      </div>
    </div>
  );
}
