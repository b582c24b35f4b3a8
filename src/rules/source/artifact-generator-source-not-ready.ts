import { fluxKind } from '../../flux/kinds';
import { refKey, type ObjRef } from '../../flux/refs';
import { stateLine } from './classify';
import { sourceRule } from './rule';

/** The sources of an ArtifactGenerator (spec.sources[]: alias, kind, name, namespace). */
function generatorSources(obj: { metadata: { namespace?: string }; spec?: any }): ObjRef[] {
  const list = Array.isArray(obj.spec?.sources) ? obj.spec.sources : [];
  return list
    .filter((s: any) => typeof s?.kind === 'string' && typeof s?.name === 'string')
    .map((s: any) => ({ kind: s.kind, namespace: s.namespace || obj.metadata.namespace, name: s.name }));
}

export default sourceRule({
  code: 'FD223',
  slug: 'artifact-generator-source-not-ready',
  category: 'dependency-not-ready',
  severity: 'error',
  kinds: ['ArtifactGenerator'],
  title: 'ArtifactGenerator waits on a source',
  signals: [
    'Ready=False SourceFetchFailed: get sources failed: source \'<Kind>/<ns>/<name>\' is not ready (the source has no artifact)',
    'Ready=False SourceFetchFailed: get sources failed: <kinds>.source.toolkit.fluxcd.io "<name>" not found / unable to get source \'<ns>/<name>\': … / source `<name>` kind \'<Kind>\' not supported',
    'blocked by the named source (or every failing source in spec.sources)',
  ],
  explanation: 'source-watcher builds this ArtifactGenerator\'s ExternalArtifacts from the artifacts of the sources in spec.sources, and one of them does not exist or has no artifact yet. Nothing is generated until it has; the ExternalArtifacts keep their previous content, and the Kustomizations or HelmReleases built from them keep applying it. Fix the source (fluxdiag names it as the root cause).',
  remediation: [
    { description: 'See the sources this generator reads', command: 'kubectl --context {context} -n {namespace} get artifactgenerator {name} -o jsonpath=\'{.spec.sources}{"\\n"}\'' },
    { description: 'See the blocking source', command: 'flux --context {context} get {sourceNoun} {sourceName} -n {sourceNamespace}' },
    { description: 'Read the blocking source\'s events', command: 'flux --context {context} events --for {sourceKind}/{sourceName} -n {sourceNamespace}' },
    { description: 'Create {missingSource}, or fix spec.sources' },
    { description: 'See every ArtifactGenerator and its state', command: 'flux --context {context} get artifact generators -A' },
  ],
  classes: ['generator-source'],
  refine(obj, { index }, found, base) {
    const message = found.condition.message ?? '';
    const sources = generatorSources(obj);
    let named: ObjRef | undefined;
    const notReady = message.match(/source '(\w+)\/([^/']+)\/([^']+)' is not ready/);
    if (notReady) named = { kind: notReady[1]!, namespace: notReady[2]!, name: notReady[3]! };
    const notFound = message.match(/"([^"]+)" not found/);
    if (!named && notFound) named = sources.find((s) => s.name === notFound[1]);
    const vars: Record<string, string> = {};
    const evidence = [...base.evidence];
    const blockers = named ? [named] : sources.filter((s) => {
      const o = index.get(s);
      return o && (o.status?.artifact === undefined || o.spec?.suspend === true);
    });
    const first = blockers[0];
    let title: string | undefined;
    if (first) {
      vars.sourceKind = first.kind;
      vars.sourceName = first.name;
      vars.sourceNamespace = first.namespace ?? obj.metadata.namespace ?? '';
      const noun = fluxKind(first.kind)?.fluxNoun;
      if (noun) vars.sourceNoun = noun;
      evidence.push(stateLine(index, first));
      if (!index.get(first) && /not found/.test(message)) {
        vars.missingSource = `the missing source ${refKey(first)}`;
        title = `Source ${refKey(first)} does not exist`;
      } else title = `Waiting on ${refKey(first)}, which has no artifact`;
    }
    return { vars, evidence, ...(blockers.length > 0 ? { blockedBy: blockers.filter((b) => index.get(b)) } : {}), ...(title ? { title } : {}) };
  },
});
