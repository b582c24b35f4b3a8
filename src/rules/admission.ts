// Who refused an object at admission, read from the API server's message. One place for the patterns, so the object
// rules (FD311, FD426) and the cluster rule that groups denials (FD031) read them alike. Formats:
// - kube-apiserver webhook admission (apiserver/pkg/admission/plugin/webhook/errors ToStatusErr):
//   `admission webhook "<name>" denied the request: <message>` (or `… denied the request without explanation`);
//   the quotes are backslash-escaped when the message was JSON-encoded once more;
// - validating admission policy (Kubernetes 1.26+): `ValidatingAdmissionPolicy '<policy>' with binding '<binding>'
//   denied request: <message>`, without a binding `ValidatingAdmissionPolicy '<policy>' denied request: <message>`;
// - Kyverno's webhook message: `resource <Kind>/<ns>/<name> was blocked due to the following policies` (1.12+:
//   `policy <Kind>/<ns>/<name> for resource violation:`), then a YAML map `<policy>:\n  <rule>: <message>`;
// - OPA Gatekeeper's: `[<constraint>] <message>`, one per violated constraint.

export const WEBHOOK_DENIED = /admission webhook \\?"([^"\\]+)\\?" denied the request/;
export const VAP_DENIED = /ValidatingAdmissionPolicy '([^']+)'(?: with binding '([^']+)')? denied request: ?([^\n]*)/;

export interface AdmissionDenial {
  /** `webhook`: an admission webhook answered no; `policy`: a ValidatingAdmissionPolicy (no webhook involved). */
  by: 'webhook' | 'policy';
  /** The webhook's name (`validate.kyverno.svc-fail`) or the policy's. */
  name: string;
  binding?: string;
  /** Policies, rules or constraints the message names (`verify-images/check-digest`, Gatekeeper `[required-labels]`). */
  rules: string[];
  /** The first line of what the webhook or policy said. */
  reason: string;
}

const KYVERNO_BLOCKED = /was blocked due to the following polic(?:y|ies)|for resource violation:/;

/** Kyverno's `<policy>:` / `  <rule>: <message>` lines, and Gatekeeper's `[<constraint>]` prefixes. */
function rulesOf(said: string): { rules: string[]; reason: string } {
  const rules: string[] = [];
  let reason = '';
  const kyverno = said.match(KYVERNO_BLOCKED);
  if (kyverno) {
    let policy: string | null = null;
    for (const line of said.slice((kyverno.index ?? 0) + kyverno[0].length).split('\n')) {
      const p = line.match(/^([a-z0-9][a-z0-9.-]*):\s*$/);
      if (p) { policy = p[1]!; continue; }
      const r = line.match(/^\s+([A-Za-z0-9][\w.-]*): '?(.*?)'?\s*$/);
      if (r && policy) {
        rules.push(`${policy}/${r[1]}`);
        reason ||= r[2]!;
      }
    }
  }
  for (const m of said.matchAll(/(?:^|\n|: )\[([a-z0-9][a-z0-9.-]*)\] ([^\n]*)/g)) {
    rules.push(m[1]!);
    reason ||= m[2]!;
  }
  return { rules: [...new Set(rules)], reason: reason || (said.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '') };
}

/** The admission denial in an API error, or null when no webhook or policy denied anything. */
export function admissionDenial(message: string): AdmissionDenial | null {
  const vap = message.match(VAP_DENIED);
  if (vap) return { by: 'policy', name: vap[1]!, ...(vap[2] ? { binding: vap[2] } : {}), rules: [], reason: vap[3]!.trim() };
  const hook = message.match(WEBHOOK_DENIED);
  if (!hook) return null;
  const said = message.slice((hook.index ?? 0) + hook[0].length).replace(/^:\s*/, '');
  return { by: 'webhook', name: hook[1]!, ...rulesOf(said) };
}
