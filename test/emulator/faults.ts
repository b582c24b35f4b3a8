// Fault injection: the failures fluxdiag must survive on a real fleet (RBAC holes, missing CRDs, overloaded or
// flaky API servers, dropped connections, black-holed requests), applied per cluster to chosen requests.
import type { Fault, FaultMatch } from './types';

/** What a request addresses, as far as fault matching needs it. */
export interface RequestTarget {
  method: string;
  path: string;
  group?: string;
  resource?: string;
  namespace?: string;
}

export function faultMatches(m: FaultMatch, t: RequestTarget): boolean {
  if (m.method !== undefined && m.method.toUpperCase() !== t.method) return false;
  if (m.resource !== undefined && m.resource !== t.resource) return false;
  if (m.group !== undefined && m.group !== t.group) return false;
  if (m.namespace !== undefined && m.namespace !== t.namespace) return false;
  if (m.path !== undefined) {
    if (typeof m.path === 'string' ? m.path !== t.path : !m.path.test(t.path)) return false;
  }
  return true;
}

/** The cluster's active faults; `times` counts down as requests consume them, and spent faults drop out. */
export class FaultSet {
  private faults: { fault: Fault; left: number }[] = [];

  set(faults: Fault[]): void {
    this.faults = faults.map((fault) => ({ fault, left: fault.times ?? Infinity }));
  }

  add(fault: Fault): void {
    this.faults.push({ fault, left: fault.times ?? Infinity });
  }

  clear(): void {
    this.faults = [];
  }

  /** The first fault matching the request, consuming one of its uses. */
  take(target: RequestTarget): Fault | undefined {
    for (let i = 0; i < this.faults.length; i++) {
      const entry = this.faults[i]!;
      if (entry.left <= 0 || !faultMatches(entry.fault.match, target)) continue;
      entry.left--;
      if (entry.left <= 0) this.faults.splice(i, 1);
      return entry.fault;
    }
    return undefined;
  }
}
