import { QueryBus } from '@nestjs/cqrs';
import { verifyLog } from '../../evidence/verify-log';
import { DomainError } from '../../event-sourcing/domain-error';
import { encodedEvents } from '../../event-sourcing/encoded-event';
import { EVENT_STORE } from '../../event-sourcing/tokens';
import { expectedOrigin, openAnchors, unmetAnchor, verifierFor } from '../../evidence/log-anchors';
import { LogEvidence } from '../../evidence/log-evidence';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { READ_MODEL_DB } from '../../read-models/tokens';
import { readPin } from '../../reports/report-pin';
import { verifyReportFile } from '../../reports/verify-report';
import { pinSubject } from '../../reports/history-report.query';
import { readInput } from '../read-input';
import type { CliCommand } from '../command';
import { progressBar } from '../progress';
import { evidenceSettings } from '../../config';
import { CheckpointFiles } from '../../evidence/checkpoint-files';
import { problem, reasonParam } from '../../i18n/problem';
import { t } from '../../i18n/translate';

const list = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [String(value)]);

export const verifyCommand: CliCommand = {
  name: 'verify',
  usage: '[--checkpoint <file>]… [--key <verifier key|file>] [--report <file>]…',
  summary:
    'check the whole log for tampering: hash chains, order, and the Merkle tree recomputed from the events against the latest kept checkpoint and every --checkpoint given (signature by the ledger\'s key or --key, and that the log extends it); --report: a delivered report regenerated from its pin; exit 0 intact, 1 naming what fails (or an unfinished import), 3 if the store cannot be read',
  options: { checkpoint: { type: 'string', multiple: true }, key: { type: 'string' }, report: { type: 'string', multiple: true } },
  async run({ withStore, withApp, values, out, config, lang }) {
    const given = list(values.checkpoint).map((file) => ({ label: `checkpoint ${file}`, note: readInput(file) }));
    const reports = list(values.report);
    // A report's signed checkpoint is an anchor like any other: checked with the whole log, before anything is regenerated from it.
    const reported = [];
    for (const file of reports) {
      const note = (await readPin(readInput(file, null)))?.checkpointNote;
      if (note) reported.push({ label: `the checkpoint of report ${file}`, note });
    }
    const kept = new CheckpointFiles(evidenceSettings(config()).checkpointsDir).latest();
    const notes = [...given, ...reported, ...(kept ? [{ label: `the kept checkpoint ${kept.path}`, note: kept.note }] : [])];
    const verifier = notes.length > 0 || reports.length > 0 ? verifierFor(config(), values.key as string | undefined) : null;
    const anchors = openAnchors(notes, verifier);
    const summary = await withStore(async (store) => {
      const head = await store.headPosition();
      const unfinished = await store.unfinishedImport();
      if (unfinished) {
        throw new DomainError('invalid', [problem(undefined, 'problem.audit.unfinished', { position: head, events: unfinished.events })]);
      }
      const bar = progressBar('verify');
      const started = Date.now();
      const result = await verifyLog(encodedEvents(store), (_count, position) => bar.update(position, head), Number.POSITIVE_INFINITY, anchors.map((a) => a.checkpoint.size));
      bar.stop();
      if (!result.ok) {
        const { event, reason } = result.failure;
        throw new DomainError('invalid', [problem(undefined, 'problem.audit.eventFailsAt', { id: event.id, stream: event.stream, revision: event.revision, position: event.position, reason })]);
      }
      const unmet = unmetAnchor(result, anchors, expectedOrigin(config()));
      if (unmet) throw new DomainError('invalid', [problem(undefined, 'problem.audit.unmet', { unmet: reasonParam(unmet) })]);
      const extended = anchors.length > 0 ? t(lang, 'cli.verify.extends', { anchors: anchors.map((a) => t(lang, 'cli.verify.anchor', { label: a.label, size: a.checkpoint.size })).join(', ') }) : '';
      return t(lang, 'cli.verify.intact', {
        events: result.events, streams: result.streams, position: result.lastPosition, digest: result.logDigest, root: result.root.toString('base64'), extended, seconds: ((Date.now() - started) / 1000).toFixed(1),
      });
    });
    if (reports.length === 0) {
      out(summary);
      return 0;
    }
    return withApp(async (app) => {
      await app.get(ProjectionRunner).catchUp();
      await app.get(LogEvidence).catchUp();
      for (const file of reports) {
        const check = await verifyReportFile(readInput(file, null), app.get(READ_MODEL_DB), app.get(EVENT_STORE), app.get(QueryBus), verifier);
        if (!check.ok) throw new DomainError('invalid', [problem(undefined, 'problem.audit.reportFails', { file, reason: reasonParam(check) })]);
        const { pin, recorded } = check;
        const kept = recorded ? t(lang, 'cli.verify.recorded', { trigger: recorded.trigger, position: recorded.position }) : '';
        const anchor = pin.tree ? t(lang, pin.checkpointNote ? 'cli.verify.treeSigned' : 'cli.verify.tree', { size: pin.tree.size, root: pin.tree.root }) : '';
        const position = pin.position !== undefined ? t(lang, 'cli.verify.atPosition', { position: pin.position }) : '';
        out(t(lang, 'cli.verify.report', { file, subject: pinSubject(pin), ledger: pin.ledgerId, asOf: pin.asOf, position, digest: pin.logDigest, anchor, kept }));
      }
      return 0;
    });
  },
};
