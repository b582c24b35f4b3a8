// The readers the shared-cause rules group by: who denied an object at admission, and an image's repository path.
import { describe, expect, it } from 'vitest';
import { admissionDenial } from '../../src/rules/admission';
import { repositoryPath } from '../../src/rules/workload-causes/images';

describe('admissionDenial', () => {
  it.each([
    ['Deployment/a/b dry-run failed: admission webhook "validate.kyverno.svc-fail" denied the request: \n\nresource Deployment/a/b was blocked due to the following policies \n\nverify-images:\n  autogen-check-digest: missing digest for ghcr.io/a/b:1.0', 'webhook', 'validate.kyverno.svc-fail', ['verify-images/autogen-check-digest'], 'missing digest for ghcr.io/a/b:1.0'],
    ['admission webhook "validate.kyverno.svc-fail" denied the request: \n\npolicy Pod/default/nginx for resource violation: \n\nrequire-labels:\n  check-for-labels: \'validation error: label app is required\'', 'webhook', 'validate.kyverno.svc-fail', ['require-labels/check-for-labels'], 'validation error: label app is required'],
    ['admission webhook "validation.gatekeeper.sh" denied the request: [must-have-owner] you must provide labels: {"owner"}', 'webhook', 'validation.gatekeeper.sh', ['must-have-owner'], 'you must provide labels: {"owner"}'],
    ['admission webhook \\"vingress.kb.io\\" denied the request: host already in use', 'webhook', 'vingress.kb.io', [], 'host already in use'],
    ["deployments.apps \"x\" is forbidden: ValidatingAdmissionPolicy 'replica-limit' with binding 'prod' denied request: failed expression: object.spec.replicas <= 5", 'policy', 'replica-limit', [], 'failed expression: object.spec.replicas <= 5'],
  ])('%s', (message, by, name, rules, reason) => {
    expect(admissionDenial(message)).toMatchObject({ by, name, rules, reason });
  });
  it('is null for a webhook that was not called', () => {
    expect(admissionDenial('Internal error occurred: failed calling webhook "validate.kyverno.svc-fail": failed to call webhook: Post "https://kyverno-svc.kyverno.svc:443/validate": no endpoints available')).toBeNull();
  });
});

describe('repositoryPath', () => {
  it.each([
    ['bitnami/redis:7.2.5-debian-12-r4', 'docker.io/bitnami'],
    ['docker.io/bitnami/redis:7.2.5', 'docker.io/bitnami'],
    ['index.docker.io/bitnami/redis', 'docker.io/bitnami'],
    ['redis:7', 'docker.io/library'],
    ['ghcr.io/acme/team/api@sha256:0123abcd', 'ghcr.io/acme/team'],
    ['localhost:5000/tools/kubectl:1.29', 'localhost:5000/tools'],
  ])('%s → %s', (image, path) => {
    expect(repositoryPath(image)).toBe(path);
  });
  it('is null for an image at the top level of a registry', () => {
    expect(repositoryPath('registry.acme.io/api:1.0')).toBeNull();
  });
});
