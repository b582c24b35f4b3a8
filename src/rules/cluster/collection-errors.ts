// Collection errors become findings, so that nothing unread is ever reported healthy.
import type { CollectionError } from '../../snapshot/schema';
import type { RuleContext, RuleHit } from '../types';

export function collectionHits(ctx: RuleContext, accept: (e: CollectionError) => boolean, title: (e: CollectionError) => string): RuleHit[] {
  return ctx.index.cluster.errors.filter(accept).map((e) => ({
    title: title(e),
    // Missing events weaken a diagnosis; a missing kind hides objects entirely.
    severity: e.target === 'events' ? 'warning' : 'error',
    evidence: [`${e.resource ?? e.target}: ${e.code}${e.status ? ` (${e.status})` : ''}: ${e.message}`],
    vars: { resource: e.resource ?? e.target, target: e.target },
  }));
}
