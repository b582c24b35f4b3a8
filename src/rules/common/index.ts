import type { Rule } from '../types';
import suspended from './suspended';
import stalled from './stalled';
import reconcileRequestNotHandled from './reconcile-request-not-handled';
import generationNotObserved from './generation-not-observed';
import reconcilingTooLong from './reconciling-too-long';
import neverReconciled from './never-reconciled';
import staleWhileControllerDown from './stale-while-controller-down';
import dependencyCycle from './dependency-cycle';
import notReady from './not-ready';

export const COMMON_RULES: Rule[] = [
  suspended,
  stalled,
  reconcileRequestNotHandled,
  generationNotObserved,
  reconcilingTooLong,
  neverReconciled,
  staleWhileControllerDown,
  dependencyCycle,
  notReady,
];
