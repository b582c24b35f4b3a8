// Every Flux object in the fixtures must be an object a real API server would hand back: it is checked
// against the openAPIV3Schema of its CustomResourceDefinition, taken from the steering repository's
// reference material (`<repo>/../shared/flux-crds`). A clone of the project alone has no such folder: the
// check is then skipped, with the reason printed. The demo clusters are also checked for the kinds the
// demo relies on (that part needs no CRDs).
//
// What the schema check covers, and what it does not:
// - types, enums, required fields, patterns, min/max of every field, as the CRD declares them;
// - unknown fields: an API server prunes fields its schema does not declare, so a fixture carrying one
//   could never come out of `kubectl get -o yaml`; every object schema that declares `properties` is
//   closed (`additionalProperties: false`) unless the CRD says `x-kubernetes-preserve-unknown-fields`;
// - metadata: name (required), namespace, labels and annotations (string values), generation, uid,
//   timestamps (the CRDs themselves only say `type: object`);
// - not covered: CEL rules (`x-kubernetes-validations`), list-type uniqueness (`x-kubernetes-list-type`).
// A Flux object whose API version is not in the shared CRDs (they carry only the versions the newest
// controllers serve) is validated against the current version only where that is known to be
// schema-compatible (see COMPATIBLE below); otherwise it is reported as not validated, never passed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseDocuments, parseManifests } from '../src/collect/manifests';
import type { KubeObject } from '../src/snapshot/schema';

const ROOT = resolve(import.meta.dirname, '..');
const FIXTURES = join(ROOT, 'fixtures');
const CRD_DIR = resolve(ROOT, '..', 'shared', 'flux-crds');
const DEMO = join(FIXTURES, 'demo');
const DEMO_CLUSTERS = ['ottawa', 'robbinsdale', 'stpetersburg'];
const MANIFEST_EXT = new Set(['.yaml', '.yml', '.json']);

const hasCrds = existsSync(CRD_DIR) && statSync(CRD_DIR).isDirectory();
if (!hasCrds) {
  console.warn(`fixtures-crd: CRD validation skipped: ${CRD_DIR} does not exist (the shared reference material is not checked out beside this repository)`);
}

type Schema = Record<string, any>;

/**
 * API versions that the shared CRDs no longer carry but whose schema is known to match a version they do carry.
 * `patch` adds what the old version declares on top of the current one, so the check stays exact.
 */
const COMPATIBLE: Record<string, { version: string; why: string; patch?: (schema: Schema) => void }> = {
  // source-controller v1.6 (Flux 2.6) promoted OCIRepository to v1; Flux 2.6 and 2.7 still serve v1beta2 (deprecated).
  // In the CRDs of those releases the two schemas are identical except for v1beta2's deprecated
  // status.contentConfigChecksum. (The newer shared v1 only adds an optional field and requires artifact.digest,
  // which every v1.x source-controller writes.)
  'source.toolkit.fluxcd.io/v1beta2/OCIRepository': {
    version: 'v1',
    why: 'v1beta2 = v1 + deprecated status.contentConfigChecksum',
    patch: (schema) => {
      schema.properties.status.properties.contentConfigChecksum = { type: 'string' };
    },
  },
};

/** What metadata the fixtures may carry; the CRDs only declare `metadata: {type: object}`. */
const METADATA_SCHEMA: Schema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 253 },
    generateName: { type: 'string' },
    namespace: { type: 'string', minLength: 1, maxLength: 63 },
    selfLink: { type: 'string' },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer', minimum: 1 },
    creationTimestamp: { type: 'string', format: 'date-time' },
    deletionTimestamp: { type: 'string', format: 'date-time' },
    deletionGracePeriodSeconds: { type: 'integer' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' } },
    ownerReferences: { type: 'array', items: { type: 'object', required: ['apiVersion', 'kind', 'name', 'uid'] } },
    managedFields: { type: 'array' },
  },
  additionalProperties: false,
};

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const FORMATS: Record<string, (value: any) => boolean> = {
  'date-time': (v) => typeof v === 'string' && RFC3339.test(v) && !Number.isNaN(Date.parse(v)),
  int32: (v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31,
  int64: (v) => Number.isInteger(v),
  // Formats the CRDs might use in later releases; Kubernetes itself treats unknown formats as no-ops.
  byte: (v) => typeof v === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(v),
  duration: (v) => typeof v === 'string',
  uri: (v) => typeof v === 'string',
};

/** Drops Kubernetes extension keywords (Ajv would ignore them) and closes object schemas that declare properties. */
function prepare(schema: Schema): Schema {
  if (Array.isArray(schema)) return schema.map((s) => prepare(s)) as unknown as Schema;
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith('x-kubernetes-')) continue;
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      out.properties = Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, prepare(v as Schema)]));
    } else if (key === 'default' || key === 'example' || key === 'enum') {
      out[key] = value;
    } else {
      out[key] = typeof value === 'object' && value !== null ? prepare(value as Schema) : value;
    }
  }
  if (out.properties && out.additionalProperties === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

interface CrdVersion {
  group: string;
  kind: string;
  version: string;
  schema: Schema;
}

function loadCrds(dir: string): Map<string, CrdVersion> {
  const out = new Map<string, CrdVersion>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const crd = parse(readFileSync(join(dir, file), 'utf8')) as any;
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    const group = String(crd.spec.group);
    const kind = String(crd.spec.names.kind);
    for (const v of crd.spec.versions ?? []) {
      const root = v?.schema?.openAPIV3Schema;
      if (!root) continue;
      out.set(`${group}/${v.name}/${kind}`, { group, kind, version: String(v.name), schema: root });
    }
  }
  return out;
}

function fixtureFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...fixtureFiles(path));
    else if (MANIFEST_EXT.has(extname(entry))) out.push(path);
  }
  return out;
}

/** The Kubernetes objects of one fixture file: plain manifests, or the objects inside a fluxdiag Snapshot. */
function objectsOf(path: string): KubeObject[] {
  const text = readFileSync(path, 'utf8');
  const docs = parseDocuments(text, path);
  const first = docs[0] as any;
  if (docs.length === 1 && first?.kind === 'Snapshot' && String(first?.apiVersion ?? '').startsWith('fluxdiag/')) {
    return (first.clusters ?? []).flatMap((c: any) => (Array.isArray(c?.objects) ? (c.objects as KubeObject[]) : []));
  }
  return parseManifests(text, path);
}

const isFluxGroup = (group: string) => group.endsWith('.fluxcd.io');

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

function describeError(e: ErrorObject): string {
  const at = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') return `${at}: unknown field '${(e.params as any).additionalProperty}'`;
  if (e.keyword === 'enum') return `${at}: ${e.message} (${JSON.stringify((e.params as any).allowedValues)})`;
  return `${at}: ${e.message}`;
}

describe('fixtures against the Flux CRDs', () => {
  it.skipIf(!hasCrds)('every Flux object under fixtures/ validates against its CRD schema', () => {
    const crds = loadCrds(CRD_DIR);
    expect(crds.size, `no CRD versions found in ${CRD_DIR}`).toBeGreaterThan(0);

    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    for (const [name, check] of Object.entries(FORMATS)) ajv.addFormat(name, { validate: check } as any);
    const validators = new Map<string, ValidateFunction>();
    const validatorFor = (key: string, crd: CrdVersion, patch?: (schema: Schema) => void): ValidateFunction => {
      const cached = validators.get(key);
      if (cached) return cached;
      const schema = prepare(structuredClone(crd.schema));
      patch?.(schema);
      schema.properties = { ...(schema.properties ?? {}), metadata: METADATA_SCHEMA };
      const fn = ajv.compile(schema);
      validators.set(key, fn);
      return fn;
    };

    const files = fixtureFiles(FIXTURES);
    const failures: string[] = [];
    const notValidated: string[] = [];
    const perKind = new Map<string, number>();
    let validated = 0;
    let filesWithFlux = 0;

    for (const file of files) {
      const rel = relative(ROOT, file);
      let objects: KubeObject[];
      try {
        objects = objectsOf(file);
      } catch (error) {
        failures.push(`${rel}: cannot be parsed: ${(error as Error).message}`);
        continue;
      }
      let sawFlux = false;
      for (const obj of objects) {
        const { group, version } = splitApiVersion(obj.apiVersion);
        if (!isFluxGroup(group)) continue;
        sawFlux = true;
        const id = `${obj.kind}/${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
        const key = `${group}/${version}/${obj.kind}`;
        let crd = crds.get(key);
        let via = '';
        let patch: ((schema: Schema) => void) | undefined;
        if (!crd) {
          const compat = COMPATIBLE[key];
          const target = compat ? crds.get(`${group}/${compat.version}/${obj.kind}`) : undefined;
          if (!compat || !target) {
            const known = [...crds.values()].filter((c) => c.group === group && c.kind === obj.kind).map((c) => c.version);
            notValidated.push(
              `${rel}: ${id} (${obj.apiVersion}) not validated: ${known.length > 0 ? `version not in the shared CRDs (they have ${known.join(', ')})` : 'no CRD for this kind in the shared CRDs'}`,
            );
            continue;
          }
          crd = target;
          via = ` (as ${compat.version}: ${compat.why})`;
          patch = compat.patch;
        }
        const validate = validatorFor(`${key}->${crd.version}`, crd, patch);
        if (validate(obj as unknown)) {
          validated++;
          perKind.set(`${obj.kind} ${obj.apiVersion}`, (perKind.get(`${obj.kind} ${obj.apiVersion}`) ?? 0) + 1);
        } else {
          const errors = (validate.errors ?? []).map(describeError);
          failures.push(`${rel}: ${id} (${obj.apiVersion})${via}:\n    ${[...new Set(errors)].join('\n    ')}`);
        }
      }
      if (sawFlux) filesWithFlux++;
    }

    const kinds = [...perKind.entries()].sort().map(([k, n]) => `${k}: ${n}`).join(', ');
    console.log(`fixtures-crd: validated ${validated} Flux objects from ${filesWithFlux} of ${files.length} fixture files against ${CRD_DIR} (${kinds})`);
    if (notValidated.length > 0) {
      console.warn(`fixtures-crd: ${notValidated.length} Flux object(s) NOT validated:\n  ${notValidated.join('\n  ')}`);
    }
    expect(failures, `Flux objects that do not match their CRD:\n${failures.join('\n')}`).toEqual([]);
    expect(validated).toBeGreaterThan(0);
  });
});

describe('demo clusters', () => {
  const REQUIRED_KINDS = ['GitRepository', 'Kustomization', 'HelmRelease', 'Deployment', 'Pod', 'Event'];

  it.each(DEMO_CLUSTERS)('fixtures/demo/%s holds a Flux install with sources, Kustomizations, HelmReleases, controllers and events', (cluster) => {
    const dir = join(DEMO, cluster);
    expect(existsSync(dir) && statSync(dir).isDirectory(), `${relative(ROOT, dir)} is missing`).toBe(true);
    const kinds = new Map<string, number>();
    for (const file of fixtureFiles(dir)) {
      for (const obj of objectsOf(file)) kinds.set(obj.kind, (kinds.get(obj.kind) ?? 0) + 1);
    }
    for (const kind of REQUIRED_KINDS) {
      expect(kinds.get(kind) ?? 0, `${relative(ROOT, dir)} has no ${kind}`).toBeGreaterThan(0);
    }
  });
});
