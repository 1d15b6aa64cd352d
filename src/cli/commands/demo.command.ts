import { runDemo } from '../../demo/run-demo';
import type { CliCommand } from '../command';

export const demoCommand: CliCommand = {
  name: 'demo',
  usage: '',
  summary: 'open a sample ledger for each source programme and submit a realistic season of events (again: appends nothing)',
  async run({ withApp, out }) {
    await withApp((app) => runDemo(app, out));
  },
};
