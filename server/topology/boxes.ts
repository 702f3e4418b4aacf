/**
 * Compound boxes of the graph (Kiali's): namespaces, apps around their versions (versioned-app
 * graph), and clusters around namespaces once the graph spans more than one cluster.
 * A node is in one cluster's box only when all its traffic is in that cluster; a node seen in
 * several clusters stays in a namespace box outside every cluster box (node ids do not carry a
 * cluster, so a workload of the same name in two clusters is one node, as in Kiali's merged view).
 */
import type { NodeSeed } from './node-identity';
import type { GraphBox } from './types';

export interface BoxedNode {
  seed: NodeSeed;
  /** Every cluster the node's traffic was in (sorted). */
  clusters: readonly string[];
}

export interface Boxes {
  boxes: GraphBox[];
  /** Node id -> its innermost box (null: outside every box). */
  parentOf: Map<string, string | null>;
}

const inNamespaceBox = (seed: NodeSeed) =>
  seed.namespace !== '' && seed.kind !== 'external' && seed.kind !== 'unknown';

/** Boxes and each node's parent. */
export function buildBoxes(nodes: readonly BoxedNode[]): Boxes {
  const clusterOf = (n: BoxedNode) =>
    n.clusters.length === 1 ? n.clusters[0]! : '';
  const allClusters = new Set(nodes.flatMap((n) => n.clusters));
  const multi = allClusters.size > 1;
  const suffix = (cluster: string) => (multi && cluster ? `@${cluster}` : '');

  // An app box sits in one cluster only when every version it holds does.
  const appCluster = new Map<string, string>();
  for (const n of nodes) {
    if (!n.seed.appBox || !inNamespaceBox(n.seed)) continue;
    const c = clusterOf(n);
    const seen = appCluster.get(n.seed.appBox);
    appCluster.set(n.seed.appBox, seen === undefined || seen === c ? c : '');
  }

  const boxes = new Map<string, GraphBox>();
  const nsBox = (namespace: string, cluster: string): string => {
    const id = `ns:${namespace}${suffix(cluster)}`;
    if (!boxes.has(id)) {
      const parent = multi && cluster ? `cl:${cluster}` : null;
      if (parent && !boxes.has(parent))
        boxes.set(parent, {
          id: parent,
          kind: 'cluster',
          label: cluster,
          parent: null,
        });
      boxes.set(id, { id, kind: 'namespace', label: namespace, parent });
    }
    return id;
  };
  const parentOf = new Map<string, string | null>();
  for (const n of nodes) {
    const { seed } = n;
    if (!inNamespaceBox(seed)) {
      parentOf.set(seed.id, null);
      continue;
    }
    if (seed.appBox) {
      const cluster = appCluster.get(seed.appBox) ?? '';
      const id = `${seed.appBox}${suffix(cluster)}`;
      if (!boxes.has(id))
        boxes.set(id, {
          id,
          kind: 'app',
          label: seed.app,
          parent: nsBox(seed.namespace, cluster),
        });
      parentOf.set(seed.id, id);
      continue;
    }
    parentOf.set(seed.id, nsBox(seed.namespace, clusterOf(n)));
  }
  return {
    boxes: [...boxes.values()].sort((a, b) => a.id.localeCompare(b.id)),
    parentOf,
  };
}
