import { writeFileSync } from 'node:fs';
import { evidenceSettings } from '../../config';
import { DomainError } from '../../event-sourcing/domain-error';
import type { EventStore } from '../../event-sourcing/event-store.port';
import { LogEvidence } from '../../evidence/log-evidence';
import { verifyEventInLog, verifyLogExtends, type ConsistencyProofInput, type InclusionProofInput } from '../../evidence/offline-verify';
import { loadSigningKey } from '../../evidence/signing-key';
import { openReadModelDb } from '../../read-models/read-model-db';
import { UsageError, type CliCommand, type CommandContext } from '../command';
import { readInput } from '../read-input';
import { problem, problemOf } from '../../i18n/problem';
import { t } from '../../i18n/translate';

/** Runs `work` with the evidence over the configured store (the tree in the read-model file), then closes both. */
async function withEvidence<T>(context: CommandContext, work: (evidence: LogEvidence, store: EventStore) => Promise<T>): Promise<T> {
  return context.withStore(async (store) => {
    const db = openReadModelDb(context.config().readModelsPath);
    try {
      return await work(new LogEvidence(store, db, context.config()), store);
    } finally {
      db.close();
    }
  });
}

function wholeNumber(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(String(value))) throw new UsageError(`--${option} must be a whole number, not "${String(value)}"`);
  return Number(value);
}

export const checkpointCommand: CliCommand = {
  name: 'checkpoint',
  usage: '[--out <file>] [--public-key]',
  summary:
    'print the log\'s current checkpoint (a C2SP tlog-checkpoint signed-note: origin, tree size, base64 root, Ed25519 signature), kept beside the log and written to --out; --public-key: print the verifier key auditors check it with',
  options: { out: { type: 'string' }, 'public-key': { type: 'boolean' } },
  async run(context) {
    const settings = evidenceSettings(context.config());
    if (context.values['public-key']) {
      context.out(loadSigningKey(settings.keyPath, settings.origin).verifierKey);
      return 0;
    }
    const signed = await withEvidence(context, (evidence) => evidence.checkpoint());
    if (context.values.out) writeFileSync(String(context.values.out), signed.note);
    context.out(signed.note.replace(/\n$/, ''));
    return 0;
  },
};

export const proveCommand: CliCommand = {
  name: 'prove',
  usage: '<eventId> [--size <n>] | --from <m> [--size <n>]',
  summary:
    'print a proof as JSON: that an event is in the log\'s tree of n events ({"index","size","leaf","path"}), or with --from that the tree of m events is a prefix of the tree of n ({"from","size","path"}); n defaults to the whole log',
  positionals: [0, 1],
  options: { size: { type: 'string' }, from: { type: 'string' } },
  async run(context) {
    const size = wholeNumber(context.values.size, 'size');
    const from = wholeNumber(context.values.from, 'from');
    const [eventId] = context.positionals;
    if ((from === undefined) === (eventId === undefined)) throw new UsageError('prove: give either an event id or --from <m>');
    const proof = await withEvidence<object>(context, (evidence) => (from === undefined ? evidence.inclusion(eventId, size) : evidence.consistency(from, size)));
    context.out(JSON.stringify(proof));
    return 0;
  },
};

export const verifyProofCommand: CliCommand = {
  name: 'verify-proof',
  usage: '--checkpoint <file> --proof <file> --line <file> --key <verifier key|file> | --checkpoint <older> --checkpoint <newer> --proof <file> --key <verifier key|file>',
  summary:
    'with no store: check that an exported event line (--line: a file holding it) is in the log a signed checkpoint signs, by an inclusion proof from `prove`; or, given two checkpoints, that the newer log extends the older by a consistency proof from `prove --from` (exit 0 if so, 1 naming what fails)',
  options: { checkpoint: { type: 'string', multiple: true }, proof: { type: 'string' }, line: { type: 'string' }, key: { type: 'string' } },
  async run({ values, out, lang }) {
    const checkpoints = (values.checkpoint as unknown as string[] | undefined) ?? [];
    const consistency = checkpoints.length === 2;
    if (checkpoints.length === 0 || checkpoints.length > 2) throw new UsageError('verify-proof: give --checkpoint once (with --line), or twice (the older, then the newer)');
    for (const option of ['proof', 'key', ...(consistency ? [] : ['line'])]) if (!values[option]) throw new UsageError(`verify-proof: --${option} is required`);
    if (consistency && values.line) throw new UsageError('verify-proof: --line goes with one --checkpoint (an inclusion proof), not two');
    const key = String(values.key);
    const verifierKey = /\+[0-9a-f]{8}\+/.test(key) ? key : readInput(key).trim();
    let proof: InclusionProofInput & ConsistencyProofInput;
    try {
      proof = JSON.parse(readInput(String(values.proof))) as InclusionProofInput & ConsistencyProofInput;
    } catch (error) {
      throw new DomainError('invalid', [problem('proof', 'problem.evidence.proofNotJson', { file: String(values.proof), detail: (error as Error).message })]);
    }
    if (consistency) {
      const extended = verifyLogExtends({ verifierKey, older: readInput(checkpoints[0]), newer: readInput(checkpoints[1]), proof });
      if (!extended.ok) throw new DomainError('invalid', [problemOf(undefined, extended)]);
      out(t(lang, 'cli.verifyProof.extends', { newer: extended.newer.size, newerRoot: extended.newer.root.toString('base64'), older: extended.older.size, olderRoot: extended.older.root.toString('base64'), origin: extended.older.origin }));
      return 0;
    }
    const line = readInput(String(values.line)).split('\n')[0];
    const result = verifyEventInLog({ verifierKey, checkpoint: readInput(checkpoints[0]), proof, line });
    if (!result.ok) throw new DomainError('invalid', [problemOf(undefined, result)]);
    out(t(lang, 'cli.verifyProof.included', { index: result.index, size: result.checkpoint.size, origin: result.checkpoint.origin, root: result.checkpoint.root.toString('base64') }));
    return 0;
  },
};

export const EVIDENCE_COMMANDS: readonly CliCommand[] = [checkpointCommand, proveCommand, verifyProofCommand];
