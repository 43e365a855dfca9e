// Cluster names the deploy form suggests. A deployment's cluster is a named
// node group: the nodes labelled cluster=<name>, and "default" for those
// without the label (the scheduler places only there). Any other DNS-label
// name may be typed; the preview then says no node is in it.
import type { ClusterNode } from '@/api/types';

const GROUP_LABELS = ['cluster'];
const DNS_LABEL = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function clusterSuggestions(nodes: ClusterNode[]): string[] {
  const names = new Set<string>(['default']);
  for (const n of nodes)
    for (const key of GROUP_LABELS) {
      const v = n.labels?.[key];
      if (v && DNS_LABEL.test(v)) names.add(v);
    }
  return [...names];
}
