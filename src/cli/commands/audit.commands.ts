import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { exportLine, readExportFile } from '../../audit/log-file';
import { verifyLog } from '../../audit/verify-log';
import { DomainError } from '../../event-sourcing/domain-error';
import type { StoredEvent } from '../../event-sourcing/event-store.port';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { READ_MODEL_DB } from '../../read-models/tokens';
import { EVENT_STORE } from '../../event-store/event-store.module';
import { verifyReportFile } from '../../reports/verify-report';
import { QueryBus } from '@nestjs/cqrs';
import { readInput } from '../read-input';
import { UsageError, type CliCommand } from '../command';
import { progressBar } from '../progress';

export const verifyCommand: CliCommand = {
  name: 'verify',
  usage: '[--report <file>]',
  summary: 'check the whole log for tampering (exit 0 with a summary, exit 1 naming the first event that fails); --report: check any delivered report file against the log (regenerated from its footer\'s pin, compared byte for byte)',
  options: { report: { type: 'string' } },
  async run({ withStore, withApp, values, out }) {
    if (values.report) {
      const bytes = readInput(values.report as string, null);
      return withApp(async (app) => {
        await app.get(ProjectionRunner).catchUp();
        const check = await verifyReportFile(bytes, app.get(READ_MODEL_DB), app.get(EVENT_STORE), app.get(QueryBus));
        if (!check.ok) throw new DomainError('invalid', [{ reason: `${values.report}: ${check.reason}` }]);
        const { pin, recorded } = check;
        const kept = recorded ? `; the ${recorded.trigger} report recorded at log position ${recorded.position}` : '';
        out(`${values.report}: ${pin.reportId} ${pin.period} of ${pin.ledgerId}, as of ${pin.asOf} (log position ${pin.position}, sha256:${pin.logDigest}); regenerated identically${kept}`);
        return 0;
      });
    }
    return withStore(async (store) => {
      const head = await store.headPosition();
      const bar = progressBar('verify');
      const started = Date.now();
      const result = await verifyLog(store.readAll(), (_count, position) => bar.update(position, head));
      bar.stop();
      if (!result.ok) {
        const { event, reason } = result.failure;
        throw new DomainError('invalid', [{ reason: `event ${event.id} (stream ${event.stream}, revision ${event.revision}, position ${event.position}) fails: ${reason}` }]);
      }
      out(`intact: ${result.events} events in ${result.streams} streams up to position ${result.lastPosition}; log digest sha256:${result.logDigest} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      return 0;
    });
  },
};

export const exportCommand: CliCommand = {
  name: 'export',
  usage: '<file.ndjson>',
  summary: 'write the whole log as NDJSON (ids, streams, revisions, types, data, metadata, recorded times, in order)',
  positionals: [1, 1],
  async run({ positionals: [file], withStore, out }) {
    await withStore(async (store) => {
      const head = await store.headPosition();
      const output = createWriteStream(file, { encoding: 'utf8' });
      const bar = progressBar('export');
      let count = 0;
      for await (const event of store.readAll()) {
        if (!output.write(`${exportLine(event)}\n`)) await once(output, 'drain');
        if (++count % 10000 === 0) bar.update(event.position, head);
      }
      output.end();
      await once(output, 'finish');
      bar.stop();
      out(`exported ${count} events to ${file}`);
    });
  },
};

export const importCommand: CliCommand = {
  name: 'import',
  usage: '<file.ndjson>',
  summary: 'load an exported log into an empty store (refuses one that is not empty, or a file that fails verification), then rebuild the projections',
  positionals: [1, 1],
  async run({ positionals: [file], withStore, withApp, out }) {
    const started = Date.now();
    const imported = await withStore(async (store) => {
      if ((await store.headPosition()) !== 0) throw new DomainError('conflict', [{ reason: 'the store is not empty: import loads a log into an empty store only' }]);
      // A first pass checks the whole file (shape, hash chains, order), so a bad file imports nothing.
      const checked = await verifyLog(readExportFile(file)).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT' ? new UsageError(`cannot read ${file}: ENOENT`) : error;
      });
      if (!checked.ok) {
        const { event, reason } = checked.failure;
        throw new DomainError('invalid', [{ reason: `${file}: event ${event.id} (stream ${event.stream}, revision ${event.revision}) fails verification: ${reason}; nothing imported` }]);
      }
      const bar = progressBar('import');
      let batch: StoredEvent[] = [];
      let count = 0;
      for await (const event of readExportFile(file)) {
        batch.push(event);
        if (batch.length === 10_000) {
          await store.restore(batch);
          count += batch.length;
          bar.update(count, checked.events);
          batch = [];
        }
      }
      await store.restore(batch);
      bar.stop();
      return count + batch.length;
    });
    const loaded = Date.now();
    const bar = progressBar('rebuild');
    await withApp(async (app) => app.get(ProjectionRunner).rebuild(bar.update));
    bar.stop();
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    out(`imported ${imported} events from ${file} in ${seconds(loaded - started)} s; projections rebuilt in ${seconds(Date.now() - loaded)} s`);
  },
};
