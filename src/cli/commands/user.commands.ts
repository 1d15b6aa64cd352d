import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { CreatePersonCommand } from '../../access/people/create-person.command';
import { ListPeopleQuery } from '../../access/people/list-people.query';
import { ManagePersonCommand, type PersonChange } from '../../access/people/manage-person.command';
import { isLanguage, LANGUAGES } from '../../access/people/person.decider';
import { isRole, ROLES } from '../../access/roles';
import { langOfTag } from '../../i18n/languages';
import { LedgerDirectory } from '../../ledgers/ledger-directory';
import { UsageError, type CliCommand, type CommandContext } from '../command';
import { operatorPrincipal } from '../operator-context';

const text = (value: string | boolean | undefined): string | undefined => (typeof value === 'string' ? value : undefined);

export const userCreateCommand: CliCommand = {
  name: 'user create',
  usage: `<login> --name <text> --unit <unitId> --role <${ROLES.join('|')}> [--ledger <ledgerId>] [--contact <text>] [--language <${LANGUAGES.join('|')}> (default: the language of the ledger’s programme)]`,
  summary: 'create a person who signs in to the web application; prints a one-time password once (changed at the first sign-in)',
  positionals: [1, 1],
  options: { name: { type: 'string' }, unit: { type: 'string' }, role: { type: 'string' }, ledger: { type: 'string' }, contact: { type: 'string' }, language: { type: 'string' } },
  async run({ positionals: [login], values, withApp, out }) {
    const name = text(values.name);
    const unit = text(values.unit);
    const role = text(values.role);
    const language = text(values.language);
    if (name === undefined) throw UsageError.required('user create', 'name <text>');
    if (unit === undefined) throw UsageError.required('user create', 'unit <unitId>');
    if (!isRole(role)) throw UsageError.of('cli.optionNotOneOf', { command: 'user create', option: 'role', value: String(role), allowed: ROLES.join(', ') });
    if (language !== undefined && !isLanguage(language)) throw UsageError.of('cli.optionNotOneOf', { command: 'user create', option: 'language', value: language, allowed: LANGUAGES.join(', ') });
    const ledger = text(values.ledger) ?? null;
    await withApp(async (app) => {
      // By default a person reads the interface in the language of their ledger's programme.
      const fallback = ledger === null ? 'zh' : langOfTag((await app.get(LedgerDirectory).get(ledger)).programme.language);
      const person = { login, name, contact: text(values.contact) ?? '', language: language ?? fallback, grants: [{ ledger, unit, role }] };
      const created = await app.get(CommandBus).execute(new CreatePersonCommand(person, operatorPrincipal()));
      out(created.oneTimePassword);
    });
  },
};

async function manage(context: CommandContext, login: string, change: PersonChange): Promise<void> {
  await context.withApp(async (app) => {
    const result = await app.get(CommandBus).execute(new ManagePersonCommand(login, change, operatorPrincipal()));
    if (result.oneTimePassword) return context.out(result.oneTimePassword);
    context.out(result.position === 0 ? `${login}: already so; nothing appended` : `${login}: recorded at log position ${result.position}${result.sessionsEnded ? `; ${result.sessionsEnded} session(s) ended` : ''}`);
  });
}

export const userResetPasswordCommand: CliCommand = {
  name: 'user reset-password',
  usage: '<login>',
  summary: 'give a person a new one-time password (printed once) and sign them out everywhere',
  positionals: [1, 1],
  run: (context) => manage(context, context.positionals[0], { kind: 'reset-password' }),
};

export const userGrantCommand: CliCommand = {
  name: 'user grant',
  usage: `<login> --unit <unitId> --role <${ROLES.join('|')}> [--ledger <ledgerId>]`,
  summary: 'add a (ledger, unit, role) grant to a person',
  positionals: [1, 1],
  options: { unit: { type: 'string' }, role: { type: 'string' }, ledger: { type: 'string' } },
  async run(context) {
    const [login] = context.positionals;
    const unit = text(context.values.unit);
    const role = text(context.values.role);
    if (unit === undefined || !isRole(role)) throw new UsageError(`user grant: --unit <unitId> and --role <${ROLES.join('|')}> are required`);
    const people = await context.withApp((app) => app.get(QueryBus).execute(new ListPeopleQuery()));
    const person = people.find((p) => p.login === login);
    if (!person) throw UsageError.of('cli.noPerson', { command: 'user grant', login });
    await manage(context, login, { kind: 'set-grants', grants: [...person.grants, { ledger: text(context.values.ledger) ?? null, unit, role }] });
  },
};

export const userDisableCommand: CliCommand = {
  name: 'user disable',
  usage: '<login> --reason <text>',
  summary: 'disable a person’s account (their sessions end at once)',
  positionals: [1, 1],
  options: { reason: { type: 'string' } },
  async run(context) {
    const reason = text(context.values.reason);
    if (reason === undefined || reason.trim() === '') throw UsageError.required('user disable', 'reason <text>');
    await manage(context, context.positionals[0], { kind: 'disable', reason });
  },
};

export const userEnableCommand: CliCommand = {
  name: 'user enable',
  usage: '<login>',
  summary: 'enable a disabled account again',
  positionals: [1, 1],
  run: (context) => manage(context, context.positionals[0], { kind: 'enable' }),
};

export const userListCommand: CliCommand = {
  name: 'user list',
  usage: '[--json]',
  summary: 'the people and their grants (never a password)',
  options: { json: { type: 'boolean' } },
  async run({ values, withApp, out }) {
    const people = await withApp((app) => app.get(QueryBus).execute(new ListPeopleQuery()));
    if (values.json) return out(JSON.stringify(people));
    for (const p of people) {
      const grants = p.grants.map((g) => `${g.role}:${g.unit}@${g.ledger ?? '*'}`).join(' ');
      out(`${p.login.padEnd(20)} ${p.name.padEnd(16)} ${p.language} ${grants}${p.disabled ? `  disabled (${p.disabled.reason})` : ''}${p.mustChangePassword ? '  one-time password' : ''}`);
    }
    if (people.length === 0) out('no person');
  },
};

export const USER_COMMANDS: readonly CliCommand[] = [userCreateCommand, userResetPasswordCommand, userGrantCommand, userDisableCommand, userEnableCommand, userListCommand];
