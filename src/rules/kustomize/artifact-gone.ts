// FD303's case of a tarball that source-controller no longer has: kustomize-controller got a 404 for the URL in
// the source's status.artifact and reports `Source is not ready, artifact not found, retrying in <d>`, although
// the source says Ready with an artifact. The file is gone from source-controller's storage: the pod restarted on
// an emptyDir, several replicas each serve their own storage, or garbage collection removed it.
import { refKey, type ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import type { RemediationTemplate } from '../types';
import { stateLine } from './messages';

export interface ArtifactGone {
  title: string;
  explanation: string;
  evidence: string[];
  remediation: RemediationTemplate[];
}

export function artifactGone(obj: KubeObject, index: ClusterIndex, src: ObjRef | null): ArtifactGone {
  const evidence = src ? [stateLine(index, src)] : [];
  const url = src ? index.get(src)?.status?.artifact?.url : undefined;
  if (typeof url === 'string' && url) evidence.push(`artifact URL advertised by the source: ${url}`);
  const replicas = index.resource({ kind: 'Deployment', namespace: index.cluster.fluxNamespace, name: 'source-controller' })?.spec?.replicas;
  if (typeof replicas === 'number' && replicas > 1) evidence.push(`source-controller runs ${replicas} replicas: each serves only the artifacts it stored itself`);
  return {
    title: `source-controller no longer has the artifact file of ${src ? refKey(src) : 'the source'} (404 on download)`,
    explanation: `The source reports an artifact, but source-controller answered 404 when kustomize-controller downloaded it: the file is gone from source-controller's storage. This happens when source-controller restarted with an emptyDir (no persistent volume) and has not fetched the source again yet, when it runs more than one replica (each has its own storage), or when its garbage collection removed the file. ${obj.metadata.name} retries, and the source re-stores the file on its next reconciliation.`,
    evidence,
    remediation: [
      { description: 'Check source-controller\'s pods: a recent restart (emptyDir storage lost) or more than one replica', command: 'kubectl --context {context} -n {fluxNamespace} get pods -l app=source-controller' },
      { description: 'Fetch the source again so that source-controller stores the artifact file anew', command: 'flux --context {context} reconcile {sourceNoun} {sourceName} -n {sourceNamespace}' },
      { description: 'Then apply again', command: 'flux --context {context} reconcile kustomization {name} -n {namespace}' },
      { description: 'To survive restarts, give source-controller a persistent volume for /data and keep it at one replica (leader election does not share storage)' },
    ],
  };
}
