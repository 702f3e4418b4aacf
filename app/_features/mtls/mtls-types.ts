/** The view's shapes, as the `mtls.coverage` procedure returns them (types only). */
import type { RouterOutputs } from '../../_trpc/client';

export type MtlsCoverageData = RouterOutputs['mtls']['coverage'];
export type Coverage = MtlsCoverageData['mesh'];
export type EdgeRow = MtlsCoverageData['edges'][number];
export type WorkloadRow = MtlsCoverageData['mixedWorkloads'][number];
export type Identities = MtlsCoverageData['identities'];
