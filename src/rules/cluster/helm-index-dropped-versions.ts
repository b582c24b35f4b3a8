import { condition, isSuspended, readyState } from '../../flux/conditions';
import { refKey, refOf, type ObjRef } from '../../flux/refs';
import { defineRule } from '../define';
import { chartSource, classify } from '../source/classify';
import { formatDuration } from '../util';
import { listRefs } from './failure-text';

export default defineRule({
  code: 'FD025',
  slug: 'helm-index-dropped-versions',
  category: 'chart-not-found',
  severity: 'error',
  kinds: ['Cluster', 'HelmRepository'],
  title: 'A Helm repository\'s index no longer lists the versions its charts pin',
  signals: [
    'two or more HelmCharts of the same HelmRepository failing because their version is not in the index (FD215: `no \'<chart>\' chart with version matching \'<v>\' found`), all since after the repository\'s last index update (status.artifact.lastUpdateTime) while the repository itself is Ready',
    'the finding is on the HelmRepository; the HelmCharts (and their HelmReleases) are linked to it',
  ],
  explanation: 'Several charts of one Helm repository stopped finding versions that worked before, right after the repository published a new index: the index no longer lists them. Publishers prune old versions from index.yaml (Bitnami cut its index to recent releases; others move charts to OCI registries), or the index was published truncated. The pins did not change, the repository did. Point the repository at a complete index or at the publisher\'s OCI registry, or move the pins to versions the index still lists.',
  remediation: [
    { description: 'See the versions the index still lists for one of the charts (on your workstation)', command: 'helm repo add {name} {url} --force-update && helm search repo {name}/{chart} --versions | head' },
    { description: 'Use the publisher\'s complete index or its OCI registry (a HelmRepository of type oci, or an OCIRepository per chart), or bump the pinned versions in Git' },
    { description: 'Once fixed, rebuild the charts', command: 'flux --context {context} reconcile source helm {name} -n {namespace}' },
  ],
  matchCluster({ index, now }) {
    const byRepo = new Map<string, { repo: ObjRef; charts: ObjRef[]; names: string[] }>();
    for (const chart of index.objects('HelmChart')) {
      if (isSuspended(chart) || classify(chart, index)?.cls !== 'chart-version') continue;
      const repoRef = chartSource(chart);
      const repo = repoRef?.kind === 'HelmRepository' ? index.get(repoRef) : undefined;
      if (!repo || readyState(repo) !== 'ready') continue;
      // Only failures that began after the repository's newest index: the index changed under the pins.
      const updated = Date.parse(repo.status?.artifact?.lastUpdateTime ?? '');
      const since = Date.parse(condition(chart, 'Ready')?.lastTransitionTime ?? condition(chart, 'Stalled')?.lastTransitionTime ?? '');
      if (!Number.isNaN(updated) && !Number.isNaN(since) && since < updated) continue;
      const key = refKey(repoRef!);
      const g = byRepo.get(key) ?? { repo: repoRef!, charts: [], names: [] };
      g.charts.push(refOf(chart));
      if (typeof chart.spec?.chart === 'string') g.names.push(`${chart.spec.chart}@${chart.spec.version ?? '*'}`);
      byRepo.set(key, g);
    }
    const hits = [];
    for (const g of byRepo.values()) {
      if (g.charts.length < 2) continue;
      const repo = index.get(g.repo)!;
      const updated = repo.status?.artifact?.lastUpdateTime as string | undefined;
      hits.push({
        object: g.repo,
        title: `HelmRepository ${g.repo.namespace}/${g.repo.name}'s index no longer lists the versions ${g.charts.length} charts pin`,
        evidence: [
          `${g.charts.length} HelmCharts cannot find their version (${g.names.slice(0, 4).join(', ')}${g.names.length > 4 ? ', …' : ''}): ${listRefs(g.charts, 3)}`,
          ...(updated ? [`the repository's index was last updated ${updated}${Number.isNaN(Date.parse(updated)) ? '' : ` (${formatDuration(now - Date.parse(updated))} ago)`}; the failures began after it`] : []),
        ],
        vars: { url: String(repo.spec?.url ?? ''), chart: g.names[0]?.split('@')[0] ?? '' },
        explains: g.charts,
      });
    }
    return hits;
  },
});
