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

/**
 * Slack reads `&`, `<` and `>` as markup (`<url|text>` is a link, `<!channel>` pings everyone):
 * label values come from telemetry, so they are escaped as Slack asks
 * (https://api.slack.com/reference/surfaces/formatting#escaping).
 */
export function slackEscape(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

export function slackText(n: AlertNotification): string {
  const icon =
    n.status === 'firing' ? ':rotating_light:' : ':white_check_mark:';
  const where = Object.entries(n.labels)
    .filter(([k]) => k !== 'alertname')
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const summary = n.annotations.summary ?? n.annotations.description ?? '';
  return slackEscape(
    `[${n.status.toUpperCase()}] ${n.ruleName}${where ? ` (${where})` : ''}: value ${fmt(n.value)}, threshold ${fmt(n.threshold)}${summary ? ` - ${summary}` : ''}`,
  ).replace(/^/, `${icon} `);
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
            text: `${slackText(n)}\n<${slackEscape(n.generatorURL).replaceAll('|', '%7C')}|Open in Meshlens>`,
          },
        },
      ],
    }),
  target: (url) => url,
  headers: ({ notificationId }) => ({
    'x-meshlens-idempotency-key': notificationId,
  }),
};
