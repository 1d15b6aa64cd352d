import { parsePort } from '../../config';
import { serve } from '../../server';
import { UsageError, type CliCommand } from '../command';

export const serveCommand: CliCommand = {
  name: 'serve',
  usage: '[--port <n>]',
  summary: 'serve the HTTP API (what `npm start` runs)',
  options: { port: { type: 'string' } },
  async run({ values, config }) {
    const settings = config();
    let port = settings.port;
    if (values.port !== undefined) {
      try {
        port = parsePort(values.port as string, '--port');
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
    await serve({ ...settings, port, liveProjections: true });
    return new Promise<never>(() => undefined);
  },
};
