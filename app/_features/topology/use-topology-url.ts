'use client';

import { useUrlState } from '../../_components/use-url-state';
import {
  parseTopologyState,
  topologyParams,
  type TopologyState,
} from './url-state';

/** The topology state from the URL, and a stable function that changes it. */
export function useTopologyUrl(): [
  TopologyState,
  (patch: Partial<TopologyState>) => void,
] {
  return useUrlState(parseTopologyState, topologyParams);
}
