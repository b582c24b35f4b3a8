import type { Rule } from '../types';
import gitAuthFailed from './git-auth-failed';

export const SOURCE_RULES: Rule[] = [gitAuthFailed];
