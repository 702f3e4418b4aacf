import { describe, expect, it } from 'vitest';
import { buildNotification, renderTemplate } from '../notification';
import { ruleSpecSchema, type AlertRule } from '../rule-schema';
import { hostAllowList, refusal } from './allow-list';
import { alertmanagerAlert, alertmanagerTransport } from './alertmanager';
import { slackText, slackTransport } from './slack';
import { signature, verifySignature, webhookTransport } from './webhook';

const rule: AlertRule = {
  id: 'r1',
  name: 'RatingsErrors',
  enabled: true,
  version: 1,
  updatedAt: new Date(0),
  spec: ruleSpecSchema.parse({
    kind: 'error_rate',
    scope: { type: 'service', namespace: 'bookinfo', service: 'ratings' },
    threshold: 0.05,
    annotations: {
      summary: '{{labels.service}} at {{ $value }} > {{threshold}}',
    },
  }),
};
const n = (status: 'firing' | 'resolved') =>
  buildNotification({
    id: 'id1',
    rule,
    status,
    fingerprint: 'fp',
    labels: { alertname: 'RatingsErrors', service: 'ratings' },
    value: 0.1234567,
    activeSinceMs: 1_700_000_000_000,
    nowMs: 1_700_000_600_000,
    publicUrl: 'http://m:3000/',
  });

describe('notifications and transports', () => {
  it('fills annotation templates', () => {
    expect(n('firing').annotations.summary).toBe('ratings at 0.1235 > 0.05');
    expect(renderTemplate('{{ unknown }}', 1, 2, {})).toBe('{{ unknown }}');
    expect(n('firing').generatorURL).toBe('http://m:3000/alerts?rule=r1');
  });
  it('signs webhook bodies over "<t>.<body>" and verifies with a replay window', () => {
    const body = webhookTransport.render(n('firing'), {
      resendIntervalMs: 60_000,
    });
    const h = webhookTransport.headers({
      body,
      notificationId: 'id1',
      nowMs: 1_700_000_000_000,
      secret: 'k',
    });
    expect(h['x-meshlens-idempotency-key']).toBe('id1');
    expect(h['x-meshlens-signature']).toBe(signature('k', 1_700_000_000, body));
    expect(h['x-meshlens-signature']).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(
      verifySignature('k', h['x-meshlens-signature'], body, 1_700_000_100),
    ).toBe(true);
    expect(
      verifySignature('k', h['x-meshlens-signature'], body, 1_700_001_000),
    ).toBe(false); // too old
    expect(
      verifySignature('other', h['x-meshlens-signature'], body, 1_700_000_000),
    ).toBe(false);
    expect(
      webhookTransport.headers({
        body,
        notificationId: 'x',
        nowMs: 0,
        secret: undefined,
      })['x-meshlens-signature'],
    ).toBeUndefined();
  });
  it('renders Alertmanager alerts: endsAt ahead while firing, the resolution time when resolved', () => {
    const f = alertmanagerAlert(n('firing'), 60_000);
    expect(f.endsAt).toBe(new Date(1_700_000_600_000 + 240_000).toISOString());
    expect(alertmanagerAlert(n('resolved'), 60_000).endsAt).toBe(
      new Date(1_700_000_600_000).toISOString(),
    );
    expect(alertmanagerTransport.target('http://am:9093/')).toBe(
      'http://am:9093/api/v2/alerts',
    );
  });
  it('writes a Slack line', () => {
    expect(slackText(n('firing'))).toBe(
      ':rotating_light: [FIRING] RatingsErrors (service=ratings): value 0.123, threshold 0.05 - ratings at 0.1235 &gt; 0.05',
    );
  });
  it('escapes Slack markup in telemetry strings, so a label cannot make a link or a ping', () => {
    const evil = {
      ...n('firing'),
      labels: {
        alertname: 'x',
        service: '<!channel> <http://evil|click> & co',
      },
    };
    const body = JSON.parse(
      slackTransport.render(evil, { resendIntervalMs: 60_000 }),
    ) as {
      text: string;
      blocks: { text: { text: string } }[];
    };
    expect(body.text).toContain(
      'service=&lt;!channel&gt; &lt;http://evil|click&gt; &amp; co',
    );
    expect(body.text).not.toMatch(/<|>/);
    expect(body.blocks[0]!.text.text).toMatch(
      /\n<http:\/\/[^<>|]+\|Open in Meshlens>$/,
    );
  });
  it('allows hosts by name, wildcard and port', () => {
    const list = hostAllowList(
      'hooks.slack.com, *.example.com, 127.0.0.1:9093',
    );
    expect(refusal(list, 'https://hooks.slack.com/services/x')).toBeNull();
    expect(refusal(list, 'https://a.b.example.com/x')).toBeNull();
    expect(refusal(list, 'https://example.com/x')).toMatch(
      /not in MESHLENS_ALERT_ALLOWED_HOSTS/,
    );
    expect(refusal(list, 'http://127.0.0.1:9093/')).toBeNull();
    expect(refusal(list, 'http://127.0.0.1:8080/')).not.toBeNull();
    expect(refusal(hostAllowList(''), 'http://10.0.0.1/')).toBeNull();
    expect(refusal(hostAllowList(undefined), 'file:///etc/passwd')).toMatch(
      /only http and https/,
    );
  });
});
