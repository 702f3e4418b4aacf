/** The traffic detail the API returns for an edge, a node side or a service side. */
import type { RouterOutputs } from '../../_trpc/client';

export type TrafficDetail = NonNullable<RouterOutputs['topology']['edge']>;
export type PeerRow = TrafficDetail['sources'][number];
