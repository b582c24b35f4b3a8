// FD311 rejections whose cause is not the manifest. Server-side apply merges field ownership: the API server converts
// the object's metadata.managedFields entries recorded at another apiVersion of a CRD through that CRD's conversion
// webhook (structured-merge-diff: `failed to prune fields: failed add back owned items: failed to convert pruned
// object at version <gv>: <err>`; apiextensions: `conversion webhook for <gv>, Kind=<kind> returned invalid metadata
// …` or `… failed: <err>`). A webhook that cannot convert those entries fails every apply of the object, whatever Git says.
import type { ApplyTarget } from './messages';
import type { RemediationTemplate } from '../types';

/** Structured-merge-diff reached the conversion webhook while re-adding owned fields (the managedFields step). */
export const MANAGED_FIELDS_CONVERSION = /failed to prune fields: [^\n]*?conversion webhook for ([^,\s]+), Kind=(\w+)( returned invalid metadata| failed)?/;

export interface ApplyHint {
  title: string;
  explanation: string;
  remediation: RemediationTemplate[];
}

export function managedFieldsConversionHint(message: string, target: ApplyTarget | null): ApplyHint | null {
  const m = message.match(MANAGED_FIELDS_CONVERSION);
  if (!m) return null;
  const [, webhookGV, kind] = m;
  const version = message.match(/failed to convert pruned object at version (\S+?):/)?.[1];
  const versions = version && version !== webhookGV ? `${webhookGV} and ${version}` : webhookGV!;
  const ref = target ? `${target.ref.kind}/${target.ref.namespace ? `${target.ref.namespace}/` : ''}${target.ref.name}` : `a ${kind}`;
  const get = target ? `kubectl --context {context}${target.ref.namespace ? ` -n ${target.ref.namespace}` : ''} get ${target.ref.kind.toLowerCase()} ${target.ref.name}` : null;
  const patch = target ? `kubectl --context {context}${target.ref.namespace ? ` -n ${target.ref.namespace}` : ''} patch ${target.ref.kind.toLowerCase()} ${target.ref.name}` : null;
  const broken = /invalid metadata/.test(m[3] ?? '') ? 'returned an object without valid metadata' : 'failed (its error follows: unreachable, timing out or refusing the conversion)';
  return {
    title: `Conversion webhook for ${kind} (${webhookGV}) fails on the managedFields of ${ref}`,
    explanation: `The API server refused the server-side apply of ${ref} because of the object in the cluster, not the manifest in Git: to merge field ownership it converts the entries of the object's metadata.managedFields that were recorded at another apiVersion (${versions}) through the CRD's conversion webhook, and the webhook ${broken}. Every apply of this object fails until either the operator that serves the webhook can convert them (fix or upgrade it) or the stale managedFields entries are removed from the object. Changing the manifest does not help.`,
    remediation: [
      ...(get ? [{ description: `List the managedFields entries of ${ref} and find the ones at an old apiVersion (their position is the index <i> below)`, command: `${get} --show-managed-fields -o yaml` }] : []),
      ...(patch ? [{ description: 'Remove each stale entry (highest index first), then apply again', command: `${patch} --type=json -p '[{"op":"remove","path":"/metadata/managedFields/<i>"}]'` }] : []),
      { description: `Or fix the conversion webhook: see which service serves it for ${kind} and upgrade the operator to a version whose webhook converts ${versions}`, command: `kubectl --context {context} get crd -o jsonpath='{range .items[?(@.spec.names.kind=="${kind}")]}{.metadata.name}{" "}{.spec.conversion.webhook.clientConfig.service}{"\\n"}\\{end\\}'` },
    ],
  };
}
