import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { parseAsOf } from '../../audit/as-of';
import { IssueTokenCommand } from '../../access/issue-token/issue-token.command';
import { ListTokensQuery } from '../../access/list-tokens/list-tokens.query';
import { RevokeTokenCommand } from '../../access/revoke-token/revoke-token.command';
import { ROLES } from '../../access/roles';
import { issueProblems } from '../../access/token.decider';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { UsageError, type CliCommand } from '../command';
import { operatorPrincipal } from '../operator-context';

const text = (value: string | boolean | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

/** `--expires 30d` (days from now) or an ISO-8601 time; none: the default lifetime (LEDGER_TOKEN_DAYS, 90 days). */
function expiresAt(value: string | undefined): string | null {
  if (value === undefined) return null;
  const days = /^(\d{1,5})d$/.exec(value);
  if (days) return new Date(Date.now() + Number(days[1]) * 86_400_000).toISOString();
  if (Number.isNaN(Date.parse(value))) throw new UsageError(`token create: --expires "${value}" is neither <n>d nor an ISO-8601 time`);
  return value;
}

export const tokenCreateCommand: CliCommand = {
  name: 'token create',
  usage: `--unit <unitId> --role <${ROLES.join('|')}> [--ledger <ledgerId>] [--label <text>] [--expires <ISO-8601 time | <n>d>]`,
  summary: 'issue an API token and print it once (only its hash is stored)',
  options: { unit: { type: 'string' }, role: { type: 'string' }, ledger: { type: 'string' }, label: { type: 'string' }, expires: { type: 'string' } },
  async run({ values, withApp, out }) {
    const unit = text(values.unit);
    const role = text(values.role);
    if (unit === undefined) throw UsageError.required('token create', 'unit <unitId>');
    if (role === undefined) throw UsageError.required('token create', `role <${ROLES.join('|')}>`);
    const fields = { unit, role, ledger: text(values.ledger) ?? null, label: text(values.label) ?? null, expiresAt: expiresAt(text(values.expires)) };
    const [problem] = issueProblems(fields);
    if (problem) throw new UsageError(`token create: --${problem.field}: ${problem.reason}`);
    await withApp(async (app) => {
      const issued = await app.get(CommandBus).execute(new IssueTokenCommand(fields, operatorPrincipal()));
      // The one and only time the token is shown: one line, nothing else, so it can be piped.
      out(issued.token);
    });
  },
};

export const tokenRevokeCommand: CliCommand = {
  name: 'token revoke',
  usage: '<tokenId> --reason <text>',
  summary: 'revoke an API token (every running server refuses it from the next request)',
  positionals: [1, 1],
  options: { reason: { type: 'string' } },
  async run({ positionals: [tokenId], values, withApp, out }) {
    const reason = text(values.reason);
    if (reason === undefined || reason.trim() === '') throw UsageError.required('token revoke', 'reason <text>');
    await withApp(async (app) => {
      const result = await app.get(CommandBus).execute(new RevokeTokenCommand(tokenId, reason, operatorPrincipal()));
      out(result.outcome === 'revoked' ? `token ${tokenId} revoked at log position ${result.position}` : `token ${tokenId} was already revoked; nothing appended`);
    });
  },
};

export const tokenListCommand: CliCommand = {
  name: 'token list',
  usage: '[--unit <unitId>] [--ledger <ledgerId>] [--active] [--as-of <ISO-8601|position>] [--json]',
  summary: 'list the API tokens issued (never their secrets)',
  options: { unit: { type: 'string' }, ledger: { type: 'string' }, active: { type: 'boolean' }, 'as-of': { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, withApp, out }) {
    const asOf = parseAsOf(text(values['as-of']), '--as-of');
    await withApp(async (app) => {
      await app.get(ProjectionRunner).catchUp();
      const tokens = await app
        .get(QueryBus)
        .execute(new ListTokensQuery({ unit: text(values.unit), ledger: text(values.ledger), activeOnly: values.active === true, asOf }));
      if (values.json) return out(JSON.stringify(tokens));
      for (const t of tokens) {
        const state = t.revoked ? `revoked ${t.revoked.at} (${t.revoked.reason})` : 'active';
        out(`${t.tokenId}  ${t.role.padEnd(9)} ${t.unit.padEnd(20)} ${(t.ledger ?? '*').padEnd(16)} issued ${t.issuedAt}  ${state}${t.label ? `  ${t.label}` : ''}`);
      }
      if (tokens.length === 0) out('no token issued');
    });
  },
};

export const TOKEN_COMMANDS: readonly CliCommand[] = [tokenCreateCommand, tokenRevokeCommand, tokenListCommand];
