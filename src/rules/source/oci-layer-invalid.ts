import { ociArtifactRef, sourceRule } from './rule';

export default sourceRule({
  code: 'FD213',
  slug: 'oci-layer-invalid',
  category: 'source-ref-not-found',
  severity: 'error',
  kinds: ['OCIRepository'],
  title: 'OCI artifact has no usable layer',
  signals: [
    'Ready=False OCIArtifactLayerOperationFailed: failed to find layer with media type \'<type>\' in artifact / no layers found in artifact / failed to parse artifact manifest: … / failed to extract layer contents from artifact: … / unsupported layer operation: <op>',
  ],
  explanation: 'The tag was found and pulled, but source-controller could not turn it into an artifact: spec.layerSelector.mediaType names a layer type the artifact does not have (a container image or Helm chart referenced as if it were a Flux artifact, or the other way round), spec.layerSelector.operation is wrong (extract vs copy), or the layer is not a gzip tarball. The artifact referenced is not what this source expects.',
  remediation: [
    { description: 'See the layer selector', command: 'kubectl --context {context} -n {namespace} get ocirepository {name} -o jsonpath=\'{.spec.layerSelector}{"\\n"}\'' },
    { description: 'Inspect the artifact\'s layers and media types', command: 'flux --context {context} pull artifact {artifactRef} --output /tmp/fluxdiag-artifact' },
    { description: 'spec.ref.semver is {semver}: use the tag it resolves to (flux list artifacts {url})' },
    { description: 'Fix spec.layerSelector (e.g. mediaType application/vnd.cncf.helm.chart.content.v1.tar+gzip with operation copy for Helm charts), then fetch again', command: 'flux --context {context} reconcile source oci {name} -n {namespace}' },
  ],
  classes: ['oci-layer'],
  refine(obj, _ctx, found) {
    const vars: Record<string, string> = {};
    const ref = ociArtifactRef(obj);
    if (ref) vars.artifactRef = ref;
    if (typeof obj.spec?.ref?.semver === 'string' && obj.spec.ref.semver && !obj.spec.ref.digest) vars.semver = obj.spec.ref.semver;
    const media = (found.condition.message ?? '').match(/failed to find layer with media type '([^']+)'/);
    return { vars, ...(media ? { title: `The OCI artifact has no layer of media type ${media[1]}` } : {}) };
  },
});
