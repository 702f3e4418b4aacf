import { describe, expect, it } from 'vitest';
import {
  emptyForm,
  type StoredSpec,
  fromRule,
  issuesByField,
  parsePairs,
  toRuleInput,
} from './rule-form';

describe('rule form', () => {
  it('turns the form into the API rule, with only the fields of its kind', () => {
    const f = {
      ...emptyForm(),
      name: ' ratings ',
      namespace: 'bookinfo',
      service: 'ratings',
      threshold: '0.1',
      labels: 'severity=page\nteam = mesh',
    };
    expect(toRuleInput(f)).toEqual({
      name: 'ratings',
      enabled: true,
      spec: {
        kind: 'error_rate',
        scope: { type: 'service', namespace: 'bookinfo', service: 'ratings' },
        groupBy: 'none',
        window: '5m',
        for: '1m',
        minRequests: 1,
        threshold: 0.1,
        labels: { severity: 'page', team: 'mesh' },
        annotations: {},
        notify: [],
      },
    });
    const flags = toRuleInput({
      ...f,
      kind: 'response_flag_rate',
      flags: 'UO, URX UF',
      scopeType: 'mesh',
      groupBy: 'service',
    }).spec;
    expect(flags).toMatchObject({
      flags: ['UO', 'URX', 'UF'],
      scope: { type: 'mesh' },
      groupBy: 'service',
    });
    expect(toRuleInput({ ...f, threshold: 'lots' }).spec.threshold).toBe(
      'lots',
    );
  });
  it('round-trips a stored rule', () => {
    const input = toRuleInput({
      ...emptyForm(),
      name: 'e',
      kind: 'request_rate',
      direction: 'spike',
      threshold: '2',
      baseline: '2h',
      scopeType: 'edge',
      srcNamespace: 'a',
      srcService: 'b',
      dstNamespace: 'c',
      dstService: 'd',
      notify: [{ type: 'slack', url: 'https://hooks.slack.com/x' }],
    });
    expect(
      toRuleInput(
        fromRule({ ...input, spec: input.spec as unknown as StoredSpec }),
      ),
    ).toEqual(input);
  });
  it('puts each API issue next to its field', () => {
    expect(
      issuesByField([
        { path: 'spec.threshold', message: 'a' },
        { path: 'spec.scope.source.service', message: 'b' },
        { path: 'spec.notify.1.url', message: 'c' },
        { path: 'name', message: 'd' },
        { path: '', message: 'e' },
      ]),
    ).toEqual({
      threshold: ['a'],
      srcService: ['b'],
      'notify.1': ['c'],
      name: ['d'],
      form: ['e'],
    });
  });
  it('reads label lines', () => {
    expect(parsePairs(' a=1 \n\nb\nc=x=y')).toEqual({
      a: '1',
      b: '',
      c: 'x=y',
    });
  });
});
