import { serve } from '../../server';
import { UsageError, type CliCommand } from '../command';

export const serveCommand: CliCommand = {
  name: 'serve',
  usage: '[--port <n>]',
  summary: 'serve the HTTP API (what `npm start` runs)',
  options: { port: { type: 'string' } },
  async run({ values, config }) {
    const port = Number(values.port ?? process.env.PORT ?? 3000);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: "${values.port}" is not a port number`);
    await serve({ ...config(), liveProjections: true }, port);
    return new Promise<never>(() => undefined);
  },
};
