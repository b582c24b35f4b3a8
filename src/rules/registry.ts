// The explicit, sorted rule registry: each family lists its rule files in its index.ts.
// Code ranges: cluster FD001–099, common FD100–199, source FD200–299, kustomize FD300–399, helm FD400–499,
// notification FD500–529, image FD530–559, operator FD560–599. Codes are never reused.
import { CLUSTER_RULES } from './cluster';
import { COMMON_RULES } from './common';
import { HELM_RULES } from './helm';
import { IMAGE_RULES } from './image';
import { KUSTOMIZE_RULES } from './kustomize';
import { NOTIFICATION_RULES } from './notification';
import { OPERATOR_RULES } from './operator';
import { SOURCE_RULES } from './source';
import type { Rule } from './types';
import { compareText } from '../util/compare';

export const RULES: readonly Rule[] = [
  ...CLUSTER_RULES,
  ...COMMON_RULES,
  ...SOURCE_RULES,
  ...KUSTOMIZE_RULES,
  ...HELM_RULES,
  ...NOTIFICATION_RULES,
  ...IMAGE_RULES,
  ...OPERATOR_RULES,
].sort((a, b) => compareText(a.code, b.code));

export function findRule(codeOrSlug: string): Rule | undefined {
  const key = codeOrSlug.toLowerCase();
  return RULES.find((r) => r.code.toLowerCase() === key || r.slug === key);
}
