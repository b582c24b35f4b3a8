// What a provider's own answer says, beyond its HTTP status: Slack's error codes and the Git hosts' commit status APIs.
// Formats: notification-controller internal/notifier/slack.go (validateSlackResponse, v1.6+ / Flux 2.6+: `Slack
// responded with error: <code>`; incoming webhooks answer a status and a code in the body, relayed by client.go as
// `request failed with status code <n>[:,] <body>`), github.go (`could not list commit statuses: %v`, `could not create
// commit status: %v` around go-github's `<METHOD> <url>: <status> <message> [<errors>]`), gitlab.go (`unable to list
// commit status: %s`, client-go `<METHOD> <url>: <status> {message: …}`), gitea.go (`could not list commit statuses:
// %w`, SDK `403 Forbidden` / `unknown API error: <status>`), bitbucket.go (`could not get commit status: %v`),
// bitbucketserver.go (`could not post build commit status: %d - %s`), azure_devops.go (`could not (list|create) commit
// status(es): %w`).
import type { RemediationTemplate } from '../types';
import type { DeliveryReading } from './delivery-error';

const SLACK_CODE = /Slack responded with error: (\w+)|request failed with status code \d{3}[:,] *(\w+)\s*$/;

const SLACK_READINGS: [RegExp, string, string][] = [
  [/^not_in_channel$/, 'the Slack app is not a member of the channel', 'The token is valid, but the app\'s bot is not in {slackChannel}: invite it there (/invite @<app> in the channel), or give the app the chat:write.public scope to post to public channels it has not joined'],
  [/^channel_not_found$/, 'Slack does not know the channel, or the app cannot see it', 'Check spec.channel of Provider {provider} ({slackChannel}): a channel name or ID that exists; a private channel is only visible once the app is invited to it'],
  [/^(?:is_archived|channel_is_archived)$/, 'the channel is archived', 'Unarchive {slackChannel} or point spec.channel of Provider {provider} at another channel'],
  [/^(?:invalid_auth|not_authed|token_revoked|token_expired|account_inactive|invalid_token|no_service|no_active_hooks)$/, 'Slack rejects the token or webhook', 'The token (or webhook URL) in the Secret of Provider {provider} is invalid, revoked, or belongs to a removed app or user: put a valid bot token (xoxb-…) in its token key, or a new webhook URL in its address key'],
  [/^missing_scope$/, 'the Slack app lacks a scope', 'Give the Slack app the chat:write scope (and reinstall it in the workspace), then update the token in the Secret of Provider {provider}'],
];

/** A Slack Web API (or webhook) error code, by what it means for the fix. */
export function slackReading(message: string): DeliveryReading | null {
  const m = message.match(SLACK_CODE);
  const code = m?.[1] ?? m?.[2];
  if (!code) return null;
  const hit = SLACK_READINGS.find(([re]) => re.test(code));
  if (!hit) return { title: `Notifications are not delivered: Slack answered ${code}`, remediation: [{ description: `Slack refused the message with the error code ${code}: see Slack's API documentation for chat.postMessage, and check the channel and token of Provider {provider}` }] };
  return { title: `Notifications are not delivered: ${hit[1]} (Slack: ${code})`, remediation: [{ description: hit[2] }] };
}

/** Commit status calls of the Git providers, and the HTTP status their client libraries print. */
const COMMIT_STATUS = /could not (?:list|create|get|post) (?:build )?(?:commit )?status(?:es)?|unable to list commit status|could not get existing commit status/;
const GIT_PROVIDERS = new Set(['github', 'gitlab', 'gitea', 'bitbucket', 'bitbucketserver', 'azuredevops']);
const API_STATUS = [/\b(?:GET|POST|PUT|PATCH) \S+: (\d{3})\b/, /commit status: (\d{3}) - /, /\b(40[134]) (?:Unauthorized|Forbidden|Not Found)\b/, /unknown API error: (\d{3})\b/];

const PROVIDER_NAMES: Record<string, string> = { github: 'GitHub', gitlab: 'GitLab', gitea: 'Gitea', bitbucket: 'Bitbucket', bitbucketserver: 'Bitbucket Server', azuredevops: 'Azure DevOps' };

const STATUS_PERMISSION: Record<string, string> = {
  github: 'a fine-grained token needs the repository permission Commit statuses: read and write, a classic one the repo:status scope (repo for a private repository), a GitHub App the Commit statuses permission',
  gitlab: 'the token needs the api scope and at least the Developer role on the project',
};

/** A commit status call refused with a visible HTTP status, by what the status means for the token and the address. */
export function commitStatusReading(message: string, providerType: string | undefined): DeliveryReading | null {
  if (!COMMIT_STATUS.test(message) && !(providerType && GIT_PROVIDERS.has(providerType))) return null;
  const code = Number(API_STATUS.map((re) => message.match(re)?.[1]).find(Boolean) ?? 0);
  if (![401, 403, 404].includes(code)) return null;
  const host = PROVIDER_NAMES[providerType ?? ''] ?? 'the Git provider';
  const said = message.match(/: \d{3} ([^[{}\n]+?)\s*(?:\[|\{|\}|$)/)?.[1]?.trim();
  const steps: Record<number, [string, RemediationTemplate]> = {
    401: ['the token is invalid, expired or revoked', { description: 'The Git provider does not accept the token in the Secret of Provider {provider} (its token key): put a valid, unexpired token there' }],
    403: ['the token may not write commit statuses', { description: `The token in the Secret of Provider {provider} is valid but lacks the permission to read and write commit statuses: ${STATUS_PERMISSION[providerType ?? ''] ?? 'grant it the commit (build) status permission on the repository'}` }],
    404: ['the repository of spec.address is not found, or the token cannot see it', { description: 'Check spec.address of Provider {provider}: it must be the repository\'s URL (https://<host>/<owner>/<repository>); Git hosts answer 404 for private repositories the token has no access to' }],
  };
  const [what, step] = steps[code]!;
  return {
    title: `Commit statuses are not written: ${host} answered ${code}${said ? ` (${said})` : ''}: ${what}`,
    remediation: [step],
  };
}
