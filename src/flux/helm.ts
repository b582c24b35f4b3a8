// Where helm-controller keeps a HelmRelease's Helm release: its name and namespaces, as the controller derives them.
import type { KubeObject } from '../snapshot/schema';

export interface ReleaseNames {
  releaseName: string;
  /** Where the chart's objects go (spec.targetNamespace, else the HelmRelease namespace). */
  releaseNamespace: string;
  /** Where Helm keeps its release Secrets (status/spec.storageNamespace, else the HelmRelease namespace). */
  storageNamespace: string;
}

export function releaseNames(hr: KubeObject): ReleaseNames {
  const ns = hr.metadata.namespace ?? 'default';
  const latest = hr.status?.history?.[0];
  const target = typeof hr.spec?.targetNamespace === 'string' && hr.spec.targetNamespace ? hr.spec.targetNamespace : ns;
  let releaseName = typeof hr.spec?.releaseName === 'string' && hr.spec.releaseName ? hr.spec.releaseName
    : hr.spec?.targetNamespace ? `${hr.spec.targetNamespace}-${hr.metadata.name}` : hr.metadata.name;
  // helm-controller shortens names over 53 characters with a digest suffix: the history records the real one.
  if (typeof latest?.name === 'string' && latest.name) releaseName = latest.name;
  const storage = hr.status?.storageNamespace ?? hr.spec?.storageNamespace ?? ns;
  return { releaseName, releaseNamespace: typeof latest?.namespace === 'string' && latest.namespace ? latest.namespace : target, storageNamespace: storage };
}
