import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { dataTextOf, fileDigest, readExportFile, type ExportedEvent } from '../../audit/log-file';
import { knownCanonicalJson } from '../../event-sourcing/canonical-json';
import { verifyLog } from '../../evidence/verify-log';
import { DomainError } from '../../event-sourcing/domain-error';
import { encodedEvents, encodeStoredEvent, lineOf, type EncodedEvent } from '../../event-sourcing/encoded-event';
import type { EventStore, StoredEvent } from '../../event-sourcing/event-store.port';
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
    const batchSize = Number(values.batch ?? 10_000);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`import: --batch must be a whole number of events above 0, not "${values.batch}"`);
    const started = Date.now();
    const { imported, resumedAfter } = await withStore(async (store) => {
      const digest = await fileDigest(file).catch((error: NodeJS.ErrnoException) => {
        throw error.code === 'ENOENT' ? UsageError.of('cli.cannotRead', { file, why: 'ENOENT' }) : error;
      });
      const unfinished = await store.unfinishedImport();
      if (unfinished && unfinished.fileDigest !== digest) {
        throw new DomainError('conflict', [problem(undefined, 'problem.audit.otherUnfinished', { digest: unfinished.fileDigest })]);
      }
      if (!unfinished && (await store.headPosition()) !== 0) throw new DomainError('conflict', [problem(undefined, 'problem.audit.storeNotEmpty')]);
      // A first pass checks the whole file (shape, hash chains, order), so a bad file imports nothing.
      const checked = await verifyLog(eventsOf(readExportFile(file)), undefined, Number.POSITIVE_INFINITY, anchors.map((a) => a.checkpoint.size));
      if (!checked.ok) {
        const { event, reason } = checked.failure;
        throw new DomainError('invalid', [problem(undefined, 'problem.audit.eventFails', { file, id: event.id, stream: event.stream, revision: event.revision, reason })]);
      }
      const unmet = unmetAnchor(checked, anchors, expectedOrigin(config()));
      if (unmet) throw new DomainError('invalid', [problem(undefined, 'problem.audit.notReproduced', { file, unmet: reasonParam(unmet) })]);
      // Marked before the first batch, unmarked with the last: a store killed in between says so (verify, /health, start-up) and resumes here.
      const loaded = unfinished ? await loadedEvents(store) : { count: 0, lastId: null };
      if (!unfinished) await store.beginImport({ fileDigest: digest, events: checked.events, startedAt: new Date().toISOString() });
      const bar = progressBar('import');
      let batch: StoredEvent[] = [];
      let count = 0;
      for await (const exported of readExportFile(file)) {
        const { event } = exported;
        if (++count <= loaded.count) {
          if (count === loaded.count && event.id !== loaded.lastId) throw new DomainError('conflict', [problem(undefined, 'problem.audit.notResumable', { file, count })]);
          continue;
        }
        // The first pass found every line canonical: the data's text is cut from the line, not encoded again.
        const dataText = dataTextOf(exported);
        if (dataText !== null) knownCanonicalJson(event.data, dataText);
        batch.push(event);
        if (batch.length === batchSize) {
          await store.restore(batch);
          bar.update(count, checked.events);
          batch = [];
        }
      }
      await store.restore(batch, { finishesImport: true });
      bar.stop();
      return { imported: count - loaded.count, resumedAfter: loaded.count };
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

/** How many events an interrupted import loaded (the file's first ones, in order), and the last one's id. */
async function loadedEvents(store: EventStore): Promise<{ count: number; lastId: string | null }> {
  let count = 0;
  let lastId: string | null = null;
  for await (const event of store.readAll()) {
    count++;
    lastId = event.id;
  }
  return { count, lastId };
}

/** The events of an export file, encoded once; a line that is not its event's canonical leaf bytes is refused (the tree would not be the file's). */
async function* eventsOf(lines: AsyncIterable<ExportedEvent>): AsyncIterable<EncodedEvent> {
  for await (const { event, index, line, legacy } of lines) {
    const encoded = encodeStoredEvent(event);
    if (!legacy && line !== lineOf(encoded, index)) throw new DomainError('invalid', [problem(undefined, 'problem.audit.notCanonical', { line: index + 1 })]);
    yield encoded;
  }
}
