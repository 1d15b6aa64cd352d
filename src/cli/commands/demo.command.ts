import { runDemo } from '../../demo/run-demo';
import type { CliCommand } from '../command';

export const demoCommand: CliCommand = {
  name: 'demo',
  usage: '[--out <directory>]',
  summary: 'open a sample ledger per source programme, submit a realistic season (again: appends nothing), write the current reports to ./out/',
  options: { out: { type: 'string' } },
  async run({ withApp, out, values }) {
    await withApp((app) => runDemo(app, out, (values.out as string) ?? 'out'));
  },
};
