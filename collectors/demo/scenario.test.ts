import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_PATH } from './index';
import { meshOf } from './mesh';
import {
  loadScenario,
  parseScenario,
  ScenarioError,
  type Scenario,
} from './scenario';

const bookinfo = () => loadScenario(DEFAULT_SCENARIO_PATH);
/** A deep copy of the default scenario as plain JSON, to break on purpose. */
const raw = () =>
  JSON.parse(JSON.stringify(bookinfo())) as Record<string, unknown> & {
    edges: Record<string, unknown>[];
  };

function issuesOf(value: unknown): string[] {
  try {
    parseScenario(value, 'test.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as ScenarioError).issues;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('bookinfo scenario', () => {
  it('has the mesh the dashboard tests rely on', () => {
    const s: Scenario = bookinfo();
    const mesh = meshOf(s);
    const w = (key: string) => mesh.workloads.get(key);
    for (const key of [
      'istio-system/istio-ingressgateway',
      'istio-system/istio-egressgateway',
      'bookinfo/productpage-v1',
      'bookinfo/details-v1',
      'bookinfo/reviews-v1',
      'bookinfo/reviews-v2',
      'bookinfo/reviews-v3',
      'bookinfo/ratings-v1',
      'bookinfo/mysqldb-v1',
      'legacy/legacy-client',
    ]) {
      expect(w(key), key).toBeDefined();
    }
    expect(w('legacy/legacy-client')?.kind).toBe('no-sidecar');
    expect(w('istio-system/istio-ingressgateway')?.kind).toBe('gateway');
    expect(s.clusters).toEqual(['cluster-1', 'cluster-2']);
    expect(
      [...mesh.workloads.values()]
        .flatMap((x) => x.pods)
        .some((p) => p.cluster === 'cluster-2'),
    ).toBe(true);
    const ratingsCallers = mesh.edges
      .filter((e) => e.service.name === 'ratings')
      .map((e) => e.source.name);
    expect(ratingsCallers.sort()).toEqual(['reviews-v2', 'reviews-v3']);
    expect(
      mesh.services.get('bookinfo/reviews')?.split.map((x) => x.weight),
    ).toEqual([50, 30, 20]);
    expect(
      mesh.edges.some(
        (e) => e.spec.protocol === 'tcp' && e.service.name === 'mysqldb',
      ),
    ).toBe(true);
    expect(mesh.edges.some((e) => e.via && e.service.external)).toBe(true);
    expect(w('bookinfo/productpage-v1')?.principal).toBe(
      'spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage',
    );
  });
});

describe('scenario validation', () => {
  it('names the bad field in each message', () => {
    const s = raw();
    (s.edges[0] as Record<string, unknown>).requestsPerSec = -2;
    const issues = issuesOf(s);
    expect(issues).toContainEqual(
      expect.stringMatching(/^test\.json: edges\[0\]\.requestsPerSec: /),
    );
  });

  it('rejects unknown keys and unknown references', () => {
    const s = raw();
    s.edges[2] = { ...s.edges[2], source: 'bookinfo/nope', colour: 'red' };
    const issues = issuesOf(s);
    expect(issues).toContain(
      'test.json: edges[2].source: no workload "bookinfo/nope"',
    );
    expect(issues).toContainEqual(expect.stringMatching(/edges\[2\].*colour/));
  });

  it('refuses mTLS from a workload without a sidecar', () => {
    const s = raw();
    const i = s.edges.findIndex((e) => e.source === 'legacy/legacy-client');
    s.edges[i] = { ...s.edges[i], mtls: true };
    expect(issuesOf(s)).toContain(
      `test.json: edges[${i}].mtls: a workload without a sidecar cannot originate Istio mTLS`,
    );
  });

  it('requires exactly one rate that fits the protocol', () => {
    const s = raw();
    s.edges[0] = { ...s.edges[0], callsPerRequest: 1 };
    expect(issuesOf(s)).toContainEqual(
      expect.stringMatching(/edges\[0\]\.requestsPerSec: set exactly one of/),
    );
    const t = raw();
    const tcp = t.edges.findIndex((e) => e.protocol === 'tcp');
    t.edges[tcp] = {
      ...t.edges[tcp],
      connectionsPerSec: undefined,
      requestsPerSec: 3,
    };
    expect(issuesOf(t)).toContain(
      `test.json: edges[${tcp}].connectionsPerSec: tcp edges need connectionsPerSec`,
    );
  });

  it('finds downstream call cycles and impossible percentages', () => {
    const s = raw();
    s.edges.push({
      ...s.edges[2],
      id: 'details-productpage',
      source: 'bookinfo/details-v1',
      service: 'bookinfo/productpage',
    });
    expect(issuesOf(s)).toContainEqual(
      expect.stringMatching(/callsPerRequest: downstream calls form a cycle/),
    );
    const t = raw();
    t.edges[0] = {
      ...t.edges[0],
      errors: [
        { percent: 70, code: 500 },
        { percent: 40, code: 503 },
      ],
    };
    expect(issuesOf(t)).toContain(
      'test.json: edges[0].errors: error percents add up to 110 (> 100)',
    );
  });

  it('reports unreadable files and bad JSON with the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-scenario-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "name": ');
    expect(() => loadScenario(bad)).toThrow(/bad\.json: not valid JSON/);
    expect(() => loadScenario(join(dir, 'missing.json'))).toThrow(
      /missing\.json: cannot read/,
    );
  });
});
