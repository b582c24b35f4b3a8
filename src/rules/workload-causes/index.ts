// One classifier per event reason; each module reads the formats of the component that writes them.
import type { KubeObject } from '../../snapshot/schema';
import { factsOf, type EventFacts, type WorkloadTrouble } from './cause';
import { backOff, evicted, jobFailed, kubeletFailed, probeFailed, sandboxFailed } from './containers';
import { badImage } from './images';
import { refused } from './refused';
import { unschedulable } from './scheduling';
import { bindingFailed, mountFailed, provisioningFailed, waitingForProvisioner } from './volumes';

export type { WorkloadTrouble } from './cause';
export { involved } from './cause';

const BY_REASON: Record<string, (f: EventFacts) => WorkloadTrouble | null> = {
  FailedCreate: refused,
  FailedScheduling: unschedulable,
  ProvisioningFailed: provisioningFailed,
  FailedBinding: bindingFailed,
  ExternalProvisioning: waitingForProvisioner,
  FailedMount: mountFailed,
  FailedAttachVolume: mountFailed,
  FailedMapVolume: mountFailed,
  Failed: kubeletFailed,
  BackOff: backOff,
  InspectFailed: badImage,
  ErrImageNeverPull: badImage,
  FailedCreatePodSandBox: sandboxFailed,
  Unhealthy: probeFailed,
  BackoffLimitExceeded: jobFailed,
  DeadlineExceeded: jobFailed,
  Evicted: evicted,
};

/** What one event says about why its workload cannot become ready, if anything. */
export function classify(e: KubeObject): WorkloadTrouble | null {
  const read = BY_REASON[String(e.reason ?? '')];
  return read ? read(factsOf(e)) : null;
}
