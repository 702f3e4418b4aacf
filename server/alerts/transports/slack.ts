/**
 * Slack incoming webhook (https://api.slack.com/messaging/webhooks): `text` for notifications
 * and clients without blocks, plus one section block with the details. Works with Slack-
 * compatible receivers (Mattermost, Rocket.Chat) that read `text`.
 */
import type { AlertNotification, Transport } from './types';

const fmt = (v: number | null) =>
  v === null
    ? 'n/a'
    : Math.abs(v) >= 100
      ? v.toFixed(0)
      : Number(v.toPrecision(3)).toString();

export function slackText(n: AlertNotification): string {
  const icon =
    n.status === 'firing' ? ':rotating_light:' : ':white_check_mark:';
  const where = Object.entries(n.labels)
    .filter(([k]) => k !== 'alertname')
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const summary = n.annotations.summary ?? n.annotations.description ?? '';
  return `${icon} [${n.status.toUpperCase()}] ${n.ruleName}${where ? ` (${where})` : ''}: value ${fmt(n.value)}, threshold ${fmt(n.threshold)}${summary ? ` - ${summary}` : ''}`;
}

export const slackTransport: Transport = {
  render: (n) =>
    JSON.stringify({
      text: slackText(n),
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: `${slackText(n)}\n<${n.generatorURL}|Open in Meshlens>`,
          },
        },
      ],
    }),
  target: (url) => url,
  headers: ({ notificationId }) => ({
    'x-meshlens-idempotency-key': notificationId,
  }),
};
