// `fluxdiag explain` for humans: the chain as numbered sections, one cluster after the other, with a
// side-by-side comparison first when several clusters were asked.
import { refKey } from '../flux/refs';
import type { DependencyNode, ExplainCluster, Explanation, SourceInfo } from '../explain/schema';
import type { Palette } from './color';
import { renderFindings } from './findings-text';
import { columns, truncate } from './table';
import { age } from './time';

type R = { kind: string; namespace?: string; name: string };
const ref = (r: R) => refKey(r);

/** Long revisions (`main@sha1:<40 hex>`) shortened as flux get does. */
function rev(text: string | null): string {
  return text ? text.replace(/\b([a-f0-9]{8})[a-f0-9]{32,120}\b/g, '$1') : '-';
}

function readyMark(c: Palette, ready: string, suspended = false): string {
  if (suspended) return c.yellow('⏸ suspended');
  if (ready === 'True') return c.green('✓ True');
  if (ready === 'False') return c.red('✗ False');
  if (ready === '-') return c.dim('- (no status by design)');
  return c.cyan(`… ${ready}`);
}

function section(out: string[], c: Palette, n: number, title: string, note = ''): void {
  out.push('', `${c.bold(`${n}. ${title}`)}${note ? `  ${c.dim(note)}` : ''}`);
}

function sourceLines(s: SourceInfo, c: Palette, now: number): string[] {
  const role = s.role === 'chart' ? 'chart' : s.role === 'chart-source' ? 'chart source' : s.role === 'image-repository' ? 'image repository' : s.role === 'provider' ? 'provider' : 'source';
  if (!s.found) return [`  ${role}: ${c.bold(ref(s.object))}  ${c.red('✗ not found in the cluster')}`];
  const lines = [`  ${role}: ${c.bold(ref(s.object))}  ${readyMark(c, s.ready, s.suspended)}${s.reason ? ` ${s.reason}` : ''}${s.since ? c.dim(` (${age(s.since, now)})`) : ''}`];
  const facts = [s.url ? `url ${s.url}` : null, s.ref ? `ref ${s.ref}` : null, s.interval ? `interval ${s.interval}` : null].filter(Boolean);
  if (facts.length) lines.push(`    ${facts.join(' · ')}`);
  lines.push(`    artifact ${rev(s.revision)}${s.storedAt ? ` stored ${age(s.storedAt, now)} ago` : ''}${s.lastHandledReconcileAt ? ` · last requested reconcile handled ${age(s.lastHandledReconcileAt, now)} ago` : ''}`);
  if (s.secretRef) lines.push(`    credentials Secret ${s.secretRef.name}: ${s.secretRef.exists === null ? c.dim('not checked') : s.secretRef.exists ? 'exists' : c.red('MISSING')}`);
  if (s.stale) lines.push(`    ${c.yellow(`STALE: failing while its last artifact is ${age(s.storedAt, now)} old`)}`);
  if (s.reconcileRequestPending) lines.push(`    ${c.yellow('a requested reconcile has not been handled yet')}`);
  if (s.ready !== 'True' && s.message) lines.push(`    ${c.dim(truncate(s.message, 300))}`);
  return lines;
}

function dependencyLines(nodes: DependencyNode[], c: Palette, prefix = '  '): string[] {
  const out: string[] = [];
  nodes.forEach((n, i) => {
    const last = i === nodes.length - 1;
    const branch = prefix === '  ' ? '' : last ? '└─ ' : '├─ ';
    const mark = !n.found ? c.red('✗ not found') : readyMark(c, n.ready, n.suspended);
    const blocker = n.blocker ? c.red('  ← blocker') : '';
    const repeated = n.repeated ? c.dim(' (shown above: dependsOn cycle or shared dependency)') : '';
    out.push(`${prefix}${branch}${c.bold(ref(n.object))}  ${mark}${n.reason ? ` ${n.reason}` : ''}${n.revision ? c.dim(` ${rev(n.revision)}`) : ''}${blocker}${repeated}`);
    if (n.blocker && n.message) out.push(`${prefix}${prefix === '  ' ? '' : last ? '   ' : '│  '}   ${c.dim(truncate(n.message, 200))}`);
    out.push(...dependencyLines(n.dependsOn, c, `${prefix}${prefix === '  ' ? '' : last ? '   ' : '│  '}  `));
  });
  return out;
}

function clusterLines(e: ExplainCluster, c: Palette, now: number): string[] {
  const out: string[] = [];
  const ctx = e.context && e.context !== e.cluster ? c.dim(` (context ${e.context})`) : '';
  if (!e.reachable) {
    out.push(`${c.bold(`== ${e.cluster}`)}${ctx}  ${c.red('UNREACHABLE')} ${e.error ?? ''}`);
    return out;
  }
  if (!e.object || !e.found) {
    out.push(`${c.bold(`== ${e.cluster}`)}${ctx}  ${c.red('not found')}${e.suggestions.length ? `; did you mean: ${e.suggestions.join(', ')}` : ''}`);
    return out;
  }
  out.push(`${c.bold(`== ${e.cluster}`)}${ctx}  ${c.bold(ref(e.object))}${e.resolvedFrom ? c.dim(`  (manages ${ref(e.resolvedFrom)})`) : ''}`);

  section(out, c, 1, 'Source');
  if (e.sources.length === 0) out.push(`  ${c.dim('none: this object is itself a source or needs none')}`);
  for (const s of e.sources) out.push(...sourceLines(s, c, now));

  section(out, c, 2, 'Dependencies');
  out.push(...(e.dependencies.length ? dependencyLines(e.dependencies, c) : [`  ${c.dim('none (no spec.dependsOn)')}`]));

  const d = e.details!;
  section(out, c, 3, 'The object', ref(d.object));
  for (const cond of d.conditions) {
    const status = cond.status === 'True' ? (cond.type === 'Stalled' ? c.red('True') : c.green('True')) : cond.status === 'False' ? c.red('False') : c.cyan(cond.status);
    out.push(`  ${cond.type.padEnd(12)} ${status} ${cond.reason ?? ''}${cond.since ? c.dim(` (${age(cond.since, now)})`) : ''}`);
    if (cond.message && !(cond.status === 'True' && ['Ready', 'Released', 'Healthy', 'ArtifactInStorage'].includes(cond.type) && e.sources.length === 0)) {
      out.push(`  ${' '.repeat(13)}${c.dim(truncate(cond.message, 300))}`);
    }
  }
  if (d.conditions.length === 0) out.push(`  ${c.dim('no conditions')}${d.ready === '-' ? c.dim(' (this kind has no status by design)') : c.yellow(' (never reconciled)')}`);
  const revLine = [`applied ${rev(d.lastAppliedRevision)}`, `attempted ${rev(d.lastAttemptedRevision)}`, d.sourceRevision ? `source ${rev(d.sourceRevision)}` : null].filter(Boolean).join(' · ');
  out.push(`  revision     ${revLine}${d.behindSource ? c.yellow('  (behind its source)') : ''}`);
  const gen = d.generation !== null ? `generation ${d.generation}, observed ${d.observedGeneration ?? '-'}${d.observedGeneration !== null && d.observedGeneration < d.generation ? c.yellow(' (current spec not applied yet)') : ''}` : null;
  out.push(`  spec         ${[gen, d.interval ? `interval ${d.interval}` : null, d.timeout ? `timeout ${d.timeout}` : null].filter(Boolean).join(' · ')}`);
  if (d.suspended) out.push(`  ${c.yellow(`suspended${d.suspendedSince ? ` for ${age(d.suspendedSince, now)}` : ''}`)}`);
  if (d.reconcileRequestPending) out.push(`  ${c.yellow('a requested reconcile has not been handled yet')}`);
  if (d.retries) {
    const r = d.retries;
    const left = (n: number) => (n < 0 ? 'unlimited' : String(n));
    out.push(`  retries      failures ${r.failures} · install ${r.installFailures} (retries ${r.installRetries}, left ${left(r.installRetriesLeft)}) · upgrade ${r.upgradeFailures} (retries ${r.upgradeRetries}, left ${left(r.upgradeRetriesLeft)})`);
  }
  for (const refd of d.references) {
    const state = refd.exists === null ? c.dim('not checked') : refd.exists ? 'exists' : refd.optional ? c.yellow('missing (optional)') : c.red('MISSING');
    out.push(`  uses         ${refd.kind} ${refd.namespace}/${refd.name} (${refd.purpose}): ${state}`);
  }

  const m = e.manages!;
  const counts = Object.entries(m.inventoryCounts).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(', ');
  section(out, c, 4, 'What it manages', m.total ? `${m.total} object${m.total === 1 ? '' : 's'}: ${counts}` : 'nothing recorded');
  for (const f of m.fluxObjects) {
    out.push(`  ${ref(f.object)}  ${readyMark(c, f.ready, f.suspended)}${f.reason ? ` ${f.reason}` : ''}${f.ready === 'False' && f.message ? c.dim(`: ${truncate(f.message, 120)}`) : ''}`);
  }
  for (const w of m.unreadyWorkloads) {
    out.push(`  ${c.red('not ready')} ${ref(w.object)} ${w.summary}`);
    if (w.cause) out.push(`    ${c.red('cause:')} ${w.cause}`);
    for (const p of w.pods.filter((x) => !x.ready || x.reasons.length)) out.push(`    pod ${p.name} ${p.phase ?? ''} ${p.reasons.join(', ')}${p.restarts ? ` (${p.restarts} restarts)` : ''}`);
  }
  if (m.workloadsChecked && m.unreadyWorkloads.length === 0 && m.total > 0) out.push(`  ${c.green('all managed workloads are ready')}`);
  if (m.remoteCluster) out.push(`  ${c.dim(`in the remote cluster of ${m.remoteCluster}: not read (fluxdiag reads the cluster the Flux objects are in)`)}`);
  else if (!m.workloadsChecked && m.total > 0) out.push(`  ${c.dim('workload readiness not read (offline input without it; `fluxdiag snapshot --for` records it)')}`);

  let n = 5;
  if (e.helm) {
    const h = e.helm;
    section(out, c, n++, 'Helm history', `release ${h.releaseName} in ${h.storageNamespace}`);
    if (h.history.length === 0) out.push(`  ${c.dim('no history recorded')}`);
    else out.push(columns(['REV', 'STATUS', 'CHART', 'APP', 'UPDATED', 'DESCRIPTION'], h.history.map((x) => [
      String(x.version ?? '-'), x.status === 'failed' ? c.red(x.status) : (x.status ?? '-'), `${x.chart ?? '?'}@${x.chartVersion ?? '?'}`, x.appVersion ?? '-', x.updated ? `${age(x.updated, now)} ago` : '-', truncate(x.description ?? '', 80),
    ]), '  '));
    for (const j of h.hookJobs) {
      out.push(`  hook Job ${j.namespace}/${j.name}: ${j.status === 'Failed' ? c.red(j.status) : j.status}${j.reason ? ` (${j.reason})` : ''}`);
      for (const line of j.logTail.slice(-10)) out.push(`    ${c.dim('│')} ${truncate(line, 200)}`);
    }
  }

  section(out, c, n++, 'Events', 'warnings first, newest first');
  if (e.events.length === 0) out.push(`  ${c.dim('none recorded')}`);
  else out.push(columns(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], e.events.map((ev) => [
    ev.lastSeen ? age(ev.lastSeen, now) : '-', ev.type === 'Warning' ? c.yellow(ev.type) : ev.type, ev.reason, `${ev.object.kind}/${ev.object.name}`, `${truncate(ev.message, 110)}${ev.count > 1 ? ` (x${ev.count})` : ''}`,
  ]), '  '));

  if (e.logs) {
    section(out, c, n++, 'Controller logs', `${e.logs.controller}, about this object, errors first`);
    if (!e.logs.available) out.push(`  ${c.dim('not collected (offline input without logs)')}`);
    else if (e.logs.lines.length === 0) out.push(`  ${c.dim('no recent line mentions this object')}`);
    for (const l of e.logs.lines) out.push(`  ${c.dim(l.ts ?? '')} ${l.level === 'error' ? c.red(l.level) : l.level} ${truncate(`${l.message}${l.error ? `: ${l.error}` : ''}`, 220)}`);
  }

  section(out, c, n++, 'Diagnosis');
  if (e.findings.length === 0) out.push(`  ${c.green('✓ no problems found along the chain')}`);
  else out.push(...renderFindings(e.findings, c, { now, verbose: true, maxBlocks: 10, fold: false }));
  return out;
}

function comparison(x: Explanation, c: Palette): string {
  const rows = x.clusters.map((e) => {
    if (!e.reachable) return [e.cluster, c.red('unreachable'), '-', '-', '-', '-'];
    if (!e.found || !e.details) return [e.cluster, c.red('not found'), '-', '-', '-', '-'];
    const ready = e.details.conditions.find((k) => k.type === 'Ready');
    const root = e.findings.find((f) => f.object.kind === e.details!.object.kind && f.object.name === e.details!.object.name && f.object.namespace === e.details!.object.namespace);
    const rootText = root?.rootCause ? ref(root.rootCause) : root ? 'this object' : '-';
    return [e.cluster, readyMark(c, e.details.ready, e.details.suspended), ready?.reason ?? '-', rev(e.details.lastAppliedRevision), rev(e.details.sourceRevision), rootText];
  });
  return columns(['CLUSTER', 'READY', 'REASON', 'APPLIED', 'SOURCE', 'ROOT CAUSE'], rows);
}

export function renderExplanation(x: Explanation, c: Palette, fixedNow?: number): string {
  const out: string[] = [];
  if (x.clusters.length > 1) out.push(c.bold(`${x.target.kind}/${x.target.name} in ${x.target.namespace} on ${x.clusters.length} clusters`), comparison(x, c), '');
  x.clusters.forEach((e, i) => {
    if (i > 0) out.push('');
    const now = fixedNow ?? Date.parse(e.collectedAt);
    out.push(...clusterLines(e, c, now));
  });
  return `${out.join('\n')}\n`;
}
