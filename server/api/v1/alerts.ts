/** GET /api/v1/alerts — every alert rule with its current alerts (docs/api.md "Alerts"). */
import { z } from 'zod';
import { listRules } from '../../queries/alerts-rules';
import { loadAlertStates } from '../../queries/alerts-state';
import { createInnerContext } from '../trpc';
import { firstValues } from './params';

const query = z.object({
  state: z.enum(['inactive', 'pending', 'firing', 'resolved']).optional(),
});

export async function alertsHandler(params: URLSearchParams): Promise<unknown> {
  const q = query.parse(firstValues(params));
  const db = await createInnerContext().db();
  const [rules, states] = await Promise.all([
    listRules(db),
    loadAlertStates(db),
  ]);
  return {
    rules: rules.map((r) => {
      // Destinations are left out: their URLs can hold secrets (Slack webhook paths).
      const { notify: _notify, ...spec } = r.spec;
      return {
        id: r.id,
        name: r.name,
        enabled: r.enabled,
        spec,
        alerts: states
          .filter(
            (s) =>
              s.ruleId === r.id &&
              (q.state === undefined || s.state === q.state),
          )
          .map((s) => ({
            fingerprint: s.fingerprint,
            labels: s.labels,
            state: s.state,
            activeSince: s.activeSince?.toISOString() ?? null,
            lastEvaluated: s.lastEvaluated.toISOString(),
            value: s.value,
          })),
      };
    }),
  };
}
