// `fluxdiag status` for humans: per cluster a header, counts per kind, what is not ready, then the findings.
import type { ClusterReport, Report } from '../report/schema';
import type { Palette } from './color';
import { renderFindings } from './findings-text';
import { columns, truncate } from './table';
import { age } from './time';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function header(cluster: ClusterReport, c: Palette): string {
  const ctx = cluster.context && cluster.context !== cluster.name ? c.dim(` (context ${cluster.context})`) : '';
  if (!cluster.reachable) return `${c.bold(cluster.name)}${ctx}  ${c.red('UNREACHABLE')} ${cluster.error ? `${cluster.error.code}: ${truncate(cluster.error.message, 140)}` : ''}`;
  const ctls = cluster.flux.controllers;
  const ready = ctls.filter((x) => x.ready).length;
  const ctlText = ctls.length === 0 ? c.dim('controllers not read') : `controllers ${ready}/${ctls.length} ready`;
  const version = cluster.flux.version ? `Flux ${cluster.flux.version}` : c.dim('Flux version unknown');
  return `${c.bold(cluster.name)}${ctx}  ${version}  ${ready < ctls.length ? c.red(ctlText) : ctlText}`;
}

function counts(cluster: ClusterReport, c: Palette): string {
  if (cluster.kinds.length === 0) return c.dim('no Flux objects');
  return cluster.kinds
    .map((k) => {
      const parts = [`${k.ready} ready`];
      if (k.failing) parts.push(c.red(`${k.failing} failing`));
      if (k.suspended) parts.push(c.yellow(`${k.suspended} suspended`));
      if (k.progressing) parts.push(c.cyan(`${k.progressing} in progress`));
      return `${k.kind} ${parts.join(', ')}`;
    })
    .join(' · ');
}

function notReady(cluster: ClusterReport, c: Palette, now: number): string | null {
  const rows = cluster.resources
    .filter((r) => r.state === 'failing' || r.state === 'suspended' || r.state === 'progressing' || r.state === 'unknown')
    .map((r) => {
      const state = r.state === 'suspended' ? c.yellow('Suspended') : r.state === 'failing' ? c.red(r.ready) : c.cyan(r.ready);
      return [`${r.kind}/${r.name}`, r.namespace ?? '', state, r.reason ?? '-', age(r.since, now), truncate(r.message ?? '', 90)];
    });
  if (rows.length === 0) return null;
  return columns(['OBJECT', 'NAMESPACE', 'READY', 'REASON', 'AGE', 'MESSAGE'], rows, '  ');
}

export function renderStatus(report: Report, c: Palette, fixedNow?: number): string {
  const out: string[] = [];
  for (const cluster of report.clusters) {
    // Ages are measured against the moment the cluster was read, unless --now fixes it.
    const now = fixedNow ?? Date.parse(cluster.collectedAt);
    out.push(header(cluster, c));
    if (cluster.reachable) {
      out.push(`  ${counts(cluster, c)}`);
      const table = notReady(cluster, c, now);
      if (table) out.push('', table);
    }
    const findings = cluster.findings;
    if (findings.length > 0) {
      const n = { error: 0, warning: 0, info: 0 };
      for (const f of findings) n[f.severity]++;
      out.push('', `  ${c.bold('Findings')} ${c.dim(`(${plural(n.error, 'error')}, ${plural(n.warning, 'warning')}, ${n.info} info)`)}`);
      out.push(...renderFindings(findings, c, { now }));
    } else if (cluster.reachable) {
      out.push('', `  ${c.green('✓ no problems found')}`);
    }
    out.push('');
  }
  const s = report.summary;
  const unreachable = s.unreachable ? c.red(`, ${s.unreachable} unreachable`) : '';
  out.push(`${plural(s.clusters, 'cluster')}${unreachable}: ${plural(s.findings.error, 'error')}, ${plural(s.findings.warning, 'warning')}, ${s.findings.info} info`);
  return `${out.join('\n')}\n`;
}
