/** GET /api/v1/services — every service with RED figures over a window (docs/api.md). */
import { z } from 'zod';
import { serviceList } from '../../queries/services';
import { createInnerContext } from '../trpc';
import { firstValues, listParam, timeParam, windowOf } from './params';

const query = z.object({
  start: timeParam.optional(),
  end: timeParam.optional(),
  cluster: z.string().max(512).optional(),
});

export async function servicesHandler(
  params: URLSearchParams,
): Promise<unknown> {
  const q = query.parse(firstValues(params));
  const db = await createInnerContext().db();
  const list = await serviceList(db, {
    ...windowOf(q.start, q.end),
    namespaces: [
      ...listParam(params, 'namespace'),
      ...listParam(params, 'namespaces'),
    ],
    protocols: z
      .array(z.enum(['http', 'grpc', 'tcp']))
      .parse(listParam(params, 'protocol')),
    cluster: q.cluster,
  });
  return {
    window: {
      start: list.window.start.toISOString(),
      end: list.window.end.toISOString(),
      seconds: list.window.seconds,
    },
    stepSeconds: list.stepSeconds,
    services: list.services.map((s) => ({
      namespace: s.namespace,
      service: s.service,
      kind: s.kind,
      versions: s.versions,
      workloads: s.workloads,
      requestsPerSecond: s.requestsPerSecond,
      errorRatio: s.errorRatio,
      clientErrorRatio: s.clientErrorRatio,
      latencyMs: s.latencyMs,
      connectionsPerSecond: s.connectionsPerSecond,
      bytesPerSecond: s.bytesPerSecond,
      mtlsShare: s.mtlsShare,
      requests: s.requests,
      sparkline: s.sparkline,
    })),
  };
}
