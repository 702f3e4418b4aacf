/** Every transport, by destination type: a new kind of receiver is one module and one entry. */
import type { DestinationType } from '../rule-schema';
import { alertmanagerTransport } from './alertmanager';
import { slackTransport } from './slack';
import type { Transport } from './types';
import { webhookTransport } from './webhook';

export const transports: Record<DestinationType, Transport> = {
  webhook: webhookTransport,
  slack: slackTransport,
  alertmanager: alertmanagerTransport,
};

export type { AlertNotification, Transport } from './types';
