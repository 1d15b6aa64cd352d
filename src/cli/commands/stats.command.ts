import { QueryBus } from '@nestjs/cqrs';
import { GetLogStatsQuery } from '../../read-models/log-stats/get-log-stats.query';
import { ProjectionRunner } from '../../read-models/projection-runner';
import type { CliCommand } from '../command';

export const statsCommand: CliCommand = {
  name: 'stats',
  usage: '[--json]',
  summary: 'events and streams per stream category',
  options: { json: { type: 'boolean' } },
  async run({ withApp, values, out }) {
    await withApp(async (app) => {
      await app.get(ProjectionRunner).catchUp();
      const stats = await app.get(QueryBus).execute(new GetLogStatsQuery());
      if (values.json) return out(JSON.stringify(stats));
      out(`log position ${stats.position}: ${stats.totals.events} events in ${stats.totals.streams} streams`);
      for (const c of stats.categories) out(`  ${c.category.padEnd(24)} ${String(c.events).padStart(10)} events ${String(c.streams).padStart(8)} streams`);
    });
  },
};
