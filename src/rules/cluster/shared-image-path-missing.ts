// Several Flux objects' workloads fail on different images that all "do not exist" under one repository path: the
// images were removed or moved there (a vendor retiring its public images, a registry clean-up, an organisation
// renamed), not one wrong tag per manifest. FD028 groups causes several workloads share; a missing image is keyed per
// image (images.ts), so this groups those by registry and repository path.
import { isSuspended } from '../../flux/conditions';
import { refOf, type ObjRef } from '../../flux/refs';
import { defineRule } from '../define';
import { timedOutReleaseTrouble } from '../helm/wait-items';
import { healthCheckTrouble } from '../kustomize/health-hints';
import { missingImage, repositoryPath } from '../workload-causes/images';
import type { WorkloadTrouble } from '../workload-trouble';
import { listRefs, listSome } from './failure-text';

export default defineRule({
  code: 'FD034',
  slug: 'shared-image-path-missing',
  category: 'health-check-failed',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'Images under one repository path no longer exist',
  signals: [
    'two or more Kustomizations whose health checks timed out (FD317) or HelmReleases whose wait timed out (FD409) on workloads whose pods cannot pull their image: kubelet `Failed to pull image "<image>": … not found` / `manifest unknown` / NotFound',
    'two or more different images, all under the same registry and repository path (`bitnami/redis` is `docker.io/bitnami/redis`)',
    'the finding is on the pseudo-object Registry/<registry>/<path>; the objects are linked to it',
  ],
  explanation: 'The workloads of several Flux objects cannot start because their images do not exist, and they are different images under the same repository path: the images were removed or moved there (a vendor moving its public images to another repository, a registry clean-up or retention policy, an organisation renamed), not one mistyped tag per manifest. Nodes that still had the images cached kept running them; new or rescheduled pods fail. Point the images at where they live now (chart values such as image.repository / image.registry, or the manifests), mirror them into a registry you control, or move to maintained images; Helm releases that exhausted their retries then need a reconcile with --reset.',
  remediation: [
    { description: 'Check whether a tag still exists under {repositoryPath}', command: 'crane ls {repositoryPath}/{exampleImage}' },
    { description: 'Once the references are fixed, list what is still not ready', command: 'flux --context {context} get all -A --status-selector ready=false' },
  ],
  matchCluster({ index, now }) {
    const groups = new Map<string, { refs: ObjRef[]; images: Set<string>; troubles: WorkloadTrouble[] }>();
    const add = (ref: ObjRef, trouble: WorkloadTrouble | null) => {
      const image = trouble ? missingImage(trouble) : null;
      const path = image ? repositoryPath(image) : null;
      if (!path) return;
      const g = groups.get(path) ?? { refs: [], images: new Set<string>(), troubles: [] };
      g.refs.push(ref);
      g.images.add(image!);
      g.troubles.push(trouble!);
      groups.set(path, g);
    };
    for (const ks of index.objects('Kustomization')) if (!isSuspended(ks)) add(refOf(ks), healthCheckTrouble(ks, index, now));
    for (const hr of index.objects('HelmRelease')) if (!isSuspended(hr)) add(refOf(hr), timedOutReleaseTrouble(hr, index, now));
    return [...groups].filter(([, g]) => g.refs.length >= 2 && g.images.size >= 2).map(([path, g]) => {
      const images = [...g.images].sort();
      const example = images[0]!.replace(/@sha256:[0-9a-f]+$/i, '').replace(/:[^/:]+$/, '').split('/').pop()!;
      return {
        object: { kind: 'Registry', name: path },
        title: `${images.length} images under ${path} no longer exist (${listSome(images.map((i) => i.split('/').pop()!), 3)}): the workloads of ${g.refs.length} Flux objects cannot start`,
        evidence: [...g.troubles.slice(0, 4).map((t) => t.evidence), `${g.refs.length} Flux objects wait on workloads whose images under ${path} are not found: ${listRefs(g.refs, 4)}`],
        vars: { repositoryPath: path, exampleImage: example },
        remediation: g.troubles[0]!.remediation,
        explains: g.refs,
      };
    });
  },
});
