import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { encodedLines, loadedPrefix, restoreWhileVerifying } from '../import-pass';
import { fileDigest, readExportFile } from '../../audit/log-file';
import { verifyLog, type VerifyResult } from '../../evidence/verify-log';
import { DomainError } from '../../event-sourcing/domain-error';
import { encodedEvents, lineOf } from '../../event-sourcing/encoded-event';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { UsageError, type CliCommand } from '../command';
import { progressBar } from '../progress';
import { readInput } from '../read-input';
import { expectedOrigin, openAnchors, unmetAnchor, verifierFor } from '../../evidence/log-anchors';
import { problem, reasonParam } from '../../i18n/problem';

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
      for await (const event of encodedEvents(store)) {
        if (!output.write(`${lineOf(event, count)}\n`)) await once(output, 'drain');
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
  usage: '<file.ndjson> [--batch <events>] [--checkpoint <file>]… [--key <verifier key|file>]',
  summary:
    'load an exported log into an empty store (refuses one that is not empty, a file that fails verification, or one whose lines do not reproduce each --checkpoint given, signed by --key or the ledger\'s key), then rebuild the projections; an interrupted import is resumed by importing the same file again',
  positionals: [1, 1],
  options: { batch: { type: 'string' }, checkpoint: { type: 'string', multiple: true }, key: { type: 'string' } },
  async run({ positionals: [file], values, withStore, withApp, out, config }) {
    const given = ((values.checkpoint as unknown as string[] | undefined) ?? []).map((path) => ({ label: `checkpoint ${path}`, note: readInput(path) }));
    const anchors = openAnchors(given, given.length > 0 ? verifierFor(config(), values.key as string | undefined) : null);
    // 10,000 events a transaction: 50,000 took the same CPU and 280 MB more memory over 322,000 events (BENCHMARKS.md).
    const batchSize = Number(values.batch ?? 10_000);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`import: --batch must be a whole number of events above 0, not "${values.batch}"`);
    const started = Date.now();
    const { imported, resumedAfter } = await withStore(async (store) => {
      const { digest, lines } = await fileDigest(file).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT' ? UsageError.of('cli.cannotRead', { file, why: 'ENOENT' }) : error;
      });
      const unfinished = await store.unfinishedImport();
      if (unfinished && unfinished.fileDigest !== digest) {
        throw new DomainError('conflict', [problem(undefined, 'problem.audit.otherUnfinished', { digest: unfinished.fileDigest })]);
      }
      const before = await store.headPosition();
      if (!unfinished && before !== 0) throw new DomainError('conflict', [problem(undefined, 'problem.audit.storeNotEmpty')]);
      const rootsAt = anchors.map((a) => a.checkpoint.size);
      const refuse = (checked: VerifyResult): void => {
        if (!checked.ok) {
          const { event, reason } = checked.failure;
          throw new DomainError('invalid', [problem(undefined, 'problem.audit.eventFails', { file, id: event.id, stream: event.stream, revision: event.revision, reason })]);
        }
        const unmet = unmetAnchor(checked, anchors, expectedOrigin(config()));
        if (unmet) throw new DomainError('invalid', [problem(undefined, 'problem.audit.notReproduced', { file, unmet: reasonParam(unmet) })]);
      };
      // A bad file imports nothing: a store that can take back what the import wrote is checked while
      // restoring (one pass); any other is checked in a pass of its own before anything is restored.
      if (!store.discardImport) refuse(await verifyLog(encodedLines(readExportFile(file)), undefined, Number.POSITIVE_INFINITY, rootsAt));
      // Marked before the first batch, unmarked with the last: a store killed in between says so (verify, /health, start-up) and resumes here.
      const loaded = unfinished ? await loadedPrefix(store, file) : { count: 0, root: null };
      if (!unfinished) await store.beginImport({ fileDigest: digest, events: lines, startedAt: new Date().toISOString() });
      const bar = progressBar('import');
      try {
        const pass = await restoreWhileVerifying(store, file, { loaded, batchSize, rootsAt, onBatch: (count) => bar.update(count, lines) });
        refuse(pass.checked);
        await store.restore(pass.last, { finishesImport: true });
        bar.stop();
        return { imported: pass.imported, resumedAfter: loaded.count };
      } catch (error) {
        bar.stop();
        // Takes back what this import wrote; should the store itself fail here, the mark stays and importing again finishes or refuses the file.
        await store.discardImport?.(before).catch(() => undefined);
        throw error;
      }
    });
    const loaded = Date.now();
    const bar = progressBar('rebuild');
    await withApp(async (app) => app.get(ProjectionRunner).rebuild(bar.update));
    bar.stop();
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    const resumed = resumedAfter > 0 ? ` (resumed after the ${resumedAfter} events an interrupted import had loaded)` : '';
    out(`imported ${imported} events from ${file}${resumed} in ${seconds(loaded - started)} s; projections rebuilt in ${seconds(Date.now() - loaded)} s`);
  },
};
