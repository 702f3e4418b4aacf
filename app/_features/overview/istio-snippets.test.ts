import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  IN_CLUSTER_HOST,
  PROVIDERS,
  meshConfigSnippet,
  suggestMeshHost,
  telemetrySnippet,
} from './istio-snippets';

interface MeshConfigDoc {
  meshConfig: {
    extensionProviders: Array<
      { name: string } & Record<string, { service: string; port: number }>
    >;
  };
}

describe('Istio snippets', () => {
  it('declares the three providers at the given address and ports, as valid YAML', () => {
    const doc = parse(
      meshConfigSnippet({
        host: 'meshlens.obs.svc',
        otlpGrpcPort: 14317,
        zipkinPort: 19411,
      }),
    ) as MeshConfigDoc;
    const providers = doc.meshConfig.extensionProviders;
    expect(providers.map((p) => p.name)).toEqual([
      PROVIDERS.otel,
      PROVIDERS.zipkin,
      PROVIDERS.accessLog,
    ]);
    expect(providers[0]?.opentelemetry).toEqual({
      service: 'meshlens.obs.svc',
      port: 14317,
    });
    expect(providers[1]?.zipkin).toEqual({
      service: 'meshlens.obs.svc',
      port: 19411,
    });
    expect(providers[2]?.envoyOtelAls).toEqual({
      service: 'meshlens.obs.svc',
      port: 14317,
    });
  });

  it('enables tracing and access logging with those provider names', () => {
    const doc = parse(telemetrySnippet(25)) as {
      apiVersion: string;
      kind: string;
      spec: {
        tracing: Array<{
          providers: { name: string }[];
          randomSamplingPercentage: number;
        }>;
        accessLogging: Array<{ providers: { name: string }[] }>;
      };
    };
    expect(doc.apiVersion).toBe('telemetry.istio.io/v1');
    expect(doc.kind).toBe('Telemetry');
    expect(doc.spec.tracing[0]?.providers[0]?.name).toBe(PROVIDERS.otel);
    expect(doc.spec.tracing[0]?.randomSamplingPercentage).toBe(25);
    expect(doc.spec.accessLogging[0]?.providers[0]?.name).toBe(
      PROVIDERS.accessLog,
    );
  });

  it('suggests the in-cluster service name when the listeners are on loopback', () => {
    expect(suggestMeshHost('127.0.0.1')).toBe(IN_CLUSTER_HOST);
    expect(suggestMeshHost('0.0.0.0')).toBe(IN_CLUSTER_HOST);
    expect(suggestMeshHost(undefined)).toBe(IN_CLUSTER_HOST);
    expect(suggestMeshHost('10.1.2.3')).toBe('10.1.2.3');
  });
});
