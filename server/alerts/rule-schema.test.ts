import { describe, expect, it } from 'vitest';
import {
  crossFieldIssues,
  formatDuration,
  parseDurationMs,
  ruleSpecSchema,
  ruleTimings,
} from './rule-schema';
import { checkRule } from './validate-rule';
import { hostAllowList } from './transports/allow-list';

const anyHost = hostAllowList(undefined);

describe('rule model', () => {
  it('parses durations and prints them back', () => {
    expect(parseDurationMs('30s')).toBe(30_000);
    expect(parseDurationMs('1h30m')).toBe(5_400_000);
    expect(parseDurationMs('2d')).toBe(172_800_000);
    expect(parseDurationMs('5 minutes')).toBeNull();
    expect(parseDurationMs('')).toBeNull();
    expect(formatDuration(5_400_000)).toBe('1h30m');
  });

  it('fills defaults: 5m window, fire at once, one request minimum, no destinations', () => {
    const spec = ruleSpecSchema.parse({
      kind: 'error_rate',
      scope: { type: 'mesh' },
      threshold: 0.05,
    });
    expect(spec).toMatchObject({
      window: '5m',
      for: '0s',
      minRequests: 1,
      groupBy: 'none',
      labels: {},
      notify: [],
    });
    expect(ruleTimings(spec)).toEqual({
      windowMs: 300_000,
      forMs: 0,
      baselineMs: null,
    });
    const rr = ruleSpecSchema.parse({
      kind: 'request_rate',
      scope: { type: 'mesh' },
      direction: 'drop',
      threshold: 0.5,
    });
    expect(ruleTimings(rr).baselineMs).toBe(3_600_000);
  });

  it('accepts every kind and scope', () => {
    const scopes = [
      { type: 'mesh' },
      { type: 'namespace', namespace: 'bookinfo' },
      { type: 'service', namespace: 'bookinfo', service: 'ratings' },
      {
        type: 'edge',
        source: { namespace: 'bookinfo', service: 'reviews' },
        destination: { namespace: 'bookinfo', service: 'ratings' },
      },
    ];
    const kinds = [
      { kind: 'error_rate', threshold: 0.05 },
      { kind: 'latency_percentile', percentile: 0.95, threshold: 250 },
      { kind: 'request_rate', direction: 'spike', threshold: 2 },
      { kind: 'mtls_coverage_below', threshold: 1 },
      { kind: 'new_plaintext_edge' },
      { kind: 'response_flag_rate', flags: ['UO'], threshold: 0.01 },
    ];
    for (const scope of scopes)
      for (const k of kinds)
        expect(ruleSpecSchema.safeParse({ ...k, scope }).success).toBe(true);
  });

  it('says what is wrong, field by field', () => {
    const check = checkRule(
      {
        name: 'x',
        spec: {
          kind: 'response_flag_rate',
          scope: { type: 'edge', source: { namespace: 'a' } },
          flags: ['uo'],
          threshold: -1,
          for: '2 min',
          labels: { 'bad-name': 'x' },
        },
      },
      anyHost,
    );
    expect(check.ok).toBe(false);
    const byPath = Object.fromEntries(
      !check.ok ? check.issues.map((i) => [i.path, i.message]) : [],
    );
    expect(byPath['spec.flags.0']).toMatch(/Envoy short names such as UO/);
    expect(byPath['spec.threshold']).toMatch(/between 0 and 1/);
    expect(byPath['spec.for']).toMatch(/duration like 30s/);
    expect(byPath['spec.scope.source.service']).toBeDefined();
    expect(byPath['spec.scope.destination']).toBeDefined();
    expect(Object.keys(byPath).some((p) => p.startsWith('spec.labels'))).toBe(
      true,
    );
    expect(
      checkRule(
        { name: 'x', spec: { kind: 'nope', scope: { type: 'mesh' } } },
        anyHost,
      ),
    ).toMatchObject({
      ok: false,
      issues: [
        {
          path: 'spec.kind',
          message: expect.stringMatching(
            /kind must be one of error_rate/,
          ) as unknown,
        },
      ],
    });
  });

  it('checks fields that depend on each other', () => {
    const spec = ruleSpecSchema.parse({
      kind: 'request_rate',
      scope: { type: 'service', namespace: 'a', service: 'b' },
      groupBy: 'service',
      direction: 'drop',
      threshold: 1.5,
    });
    expect(crossFieldIssues(spec).map((i) => i.path)).toEqual([
      'spec.groupBy',
      'spec.threshold',
    ]);
  });

  it('refuses destinations outside the allow list when one is set', () => {
    const rule = {
      name: 'x',
      spec: {
        kind: 'error_rate',
        scope: { type: 'mesh' },
        threshold: 0.1,
        notify: [
          { type: 'webhook', url: 'https://hooks.example.com/a' },
          { type: 'slack', url: 'http://10.0.0.1/x' },
        ],
      },
    };
    const check = checkRule(rule, hostAllowList('*.example.com'));
    expect(check.ok).toBe(false);
    expect(
      !check.ok && check.issues.map((i) => `${i.path}: ${i.message}`),
    ).toEqual([
      'spec.notify.1.url: host 10.0.0.1 is not in MESHLENS_ALERT_ALLOWED_HOSTS (*.example.com)',
    ]);
    const ftp = checkRule(
      {
        ...rule,
        spec: { ...rule.spec, notify: [{ type: 'webhook', url: 'ftp://x' }] },
      },
      anyHost,
    );
    expect(!ftp.ok && ftp.issues).toEqual([
      { path: 'spec.notify.0.url', message: 'use an http or https URL' },
    ]);
  });
});
