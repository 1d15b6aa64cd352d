import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { parseAsOf } from '../../audit/as-of';
import { GetProgrammeQuery, ListProgrammesQuery } from '../../programmes/queries/programme-queries';
import { RegisterProgrammeCommand } from '../../programmes/register-programme/register-programme.command';
import { ProjectionRunner } from '../../read-models/projection-runner';
import type { CliCommand } from '../command';
import { readInput } from '../read-input';
import { operatorContext } from '../operator-context';

export const programmeImportCommand: CliCommand = {
  name: 'programme import',
  usage: '<file>',
  summary: 'register a programme template (YAML or JSON); a changed file records an amendment',
  positionals: [1, 1],
  async run({ positionals: [file], withApp, out }) {
    const text = readInput(file);
    await withApp(async (app) => {
      const result = await app.get(CommandBus).execute(new RegisterProgrammeCommand(text, file, operatorContext()));
      if (result.outcome === 'unchanged') return out(`${result.programmeId}: unchanged (version ${result.version}); nothing appended`);
      const changes = result.changes
        ? ` (${Object.entries(result.changes)
            .filter(([, v]) => (Array.isArray(v) ? v.length > 0 : v && typeof v === 'object' && Object.values(v).some((x) => (x as unknown[]).length)))
            .map(([k]) => k)
            .join(', ')})`
        : '';
      out(`${result.programmeId}: ${result.outcome}${changes}, version ${result.version} at log position ${result.position}`);
    });
  },
};

export const programmeListCommand: CliCommand = {
  name: 'programme list',
  usage: '[--as-of <ISO-8601|position>] [--json]',
  summary: 'list the registered programmes',
  options: { json: { type: 'boolean' }, 'as-of': { type: 'string' } },
  async run({ values, withApp, out }) {
    const asOf = parseAsOf(values['as-of'] as string | undefined, '--as-of');
    await withApp(async (app) => {
      await app.get(ProjectionRunner).catchUp();
      const programmes = await app.get(QueryBus).execute(new ListProgrammesQuery(asOf));
      if (values.json) return out(JSON.stringify(programmes));
      for (const p of programmes) out(`${p.id.padEnd(26)} v${p.version}  ${String(p.tasks).padStart(4)} tasks  ${String(p.indicators).padStart(3)} indicators  ${p.language.padEnd(5)} ${p.title}`);
      if (programmes.length === 0) out('no programme registered');
    });
  },
};

export const programmeShowCommand: CliCommand = {
  name: 'programme show',
  usage: '<programmeId> [--as-of <ISO-8601|position>] [--json]',
  summary: 'show a programme: tasks, indicators, metrics, roles, reports, calendar',
  positionals: [1, 1],
  options: { json: { type: 'boolean' }, 'as-of': { type: 'string' } },
  async run({ positionals: [programmeId], values, withApp, out }) {
    const asOf = parseAsOf(values['as-of'] as string | undefined, '--as-of');
    await withApp(async (app) => {
      await app.get(ProjectionRunner).catchUp();
      const p = await app.get(QueryBus).execute(new GetProgrammeQuery(programmeId, asOf));
      if (values.json) return out(JSON.stringify(p));
      out(`${p.id} — ${p.title} (version ${p.version}, ${p.language}, ${p.timeZone})`);
      out(`issuer: ${p.issuer}; source: ${p.source.document}`);
      out(`roles: ${p.roles.map((r) => `${r.id} (${r.name})`).join('; ')}`);
      out(`reports: ${p.reports.join(', ')}; calendar: ${p.calendar.map((c) => c.period + (c.only ? ` ${c.only.join('/')}` : '')).join(', ')}`);
      out(`${p.tasks.length} tasks:`);
      for (const t of p.tasks) out(`  ${t.number.padEnd(8)} ${t.deadline.text.padEnd(14)} ${t.lead.join(',')}  ${t.text.slice(0, 60)}`);
      if (p.indicators?.length) out(`${p.indicators.length} indicators; ${p.metrics?.length ?? 0} metrics`);
    });
  },
};
