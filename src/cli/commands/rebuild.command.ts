import { ProjectionRunner } from '../../read-models/projection-runner';
import type { CliCommand } from '../command';
import { progressBar } from '../progress';

export const rebuildCommand: CliCommand = {
  name: 'rebuild',
  usage: '',
  summary: 'rebuild every projection from the log, with a progress bar',
  async run({ withApp, out }) {
    await withApp(async (app) => {
      const runner = app.get(ProjectionRunner);
      const bar = progressBar('rebuild');
      const started = Date.now();
      const position = await runner.rebuild(bar.update);
      bar.stop();
      const seconds = (Date.now() - started) / 1000;
      out(`rebuilt ${runner.status().length} projection(s) to log position ${position} in ${seconds.toFixed(1)} s`);
    });
  },
};
