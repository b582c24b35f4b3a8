// JSON merge patch (RFC 7386), the patch type `flux reconcile|suspend|resume` and fluxdiag's remediation send.
// Copy-on-write: the stored object is replaced, never mutated, so callers holding the old object (a test's
// fixture, a response being serialised) see it unchanged.

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}
