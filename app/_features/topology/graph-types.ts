/** View-side names for the topology API's output types (inferred from the router). */
import type { RouterOutputs } from '../../_trpc/client';

export type TopologyGraph = RouterOutputs['topology']['graph'];
export type TopologyNode = TopologyGraph['nodes'][number];
export type TopologyEdge = TopologyGraph['edges'][number];
export type TopologyBox = TopologyGraph['boxes'][number];
