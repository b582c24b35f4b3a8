import type { Rule } from '../types';
import receiverTokenNotFound from './receiver-token-not-found';
import receiverConfigInvalid from './receiver-config-invalid';
import alertProviderNotFound from './alert-provider-not-found';
import alertDeliveryFailed from './alert-delivery-failed';
import alertConfigInvalid from './alert-config-invalid';
import legacyNotReady from './legacy-not-ready';

export const NOTIFICATION_RULES: Rule[] = [receiverTokenNotFound, receiverConfigInvalid, alertProviderNotFound, alertDeliveryFailed, alertConfigInvalid, legacyNotReady];
