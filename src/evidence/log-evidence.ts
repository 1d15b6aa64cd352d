import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { evidenceSettings, type EvidenceSettings, type LedgerConfig } from '../config';
import { DomainError } from '../event-sourcing/domain-error';
import type { EventStore } from '../event-sourcing/event-store.port';
import { EVENT_STORE } from '../event-sourcing/tokens';
import { LEDGER_CONFIG } from '../config';
import { READ_MODEL_DB } from '../read-models/tokens';
import { CheckpointFiles } from './checkpoint-files';
import { parseVerifierKey, signCheckpoint, type Verifier } from './checkpoint-note';
import { MerkleTiles, type TreeHead } from './merkle-tiles';
import { loadSigningKey, type SigningKey } from './signing-key';
import { problem } from '../i18n/problem';

export interface SignedCheckpoint {
  size: number;
  /** base64 of the root hash. */
  root: string;
  /** The whole signed note. */
  note: string;
}

export interface InclusionProofJson {
  index: number;
  size: number;
  leaf: string;
  path: string[];
}

export interface ConsistencyProofJson {
  from: number;
  size: number;
  path: string[];
}

/**
 * The ledger's evidence for auditors: the Merkle tree over the log (caught up on demand), checkpoints
 * signed with the key kept outside the store, and inclusion and consistency proofs. Ed25519
 * signatures are deterministic, so the checkpoint of a given tree size is the same note every time it
 * is signed (a regenerated report carries the same bytes).
 */
@Injectable()
export class LogEvidence {
  private readonly tiles: MerkleTiles;
  private readonly settings: EvidenceSettings;
  private readonly files: CheckpointFiles;
  private key: SigningKey | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DB) db: Database.Database,
    @Inject(LEDGER_CONFIG) config: LedgerConfig,
  ) {
    this.tiles = new MerkleTiles(db);
    this.settings = evidenceSettings(config);
    this.files = new CheckpointFiles(this.settings.checkpointsDir);
  }

  signingKey(): SigningKey {
    return (this.key ??= loadSigningKey(this.settings.keyPath, this.settings.origin));
  }

  /** The ledger's own key as a note verifier: what its checkpoints (and its reports' checkpoints) are checked with. */
  verifier(): Verifier {
    return parseVerifierKey(this.signingKey().verifierKey)!;
  }

  catchUp(onProgress?: (size: number) => void): Promise<TreeHead> {
    return this.tiles.catchUp(this.store, onProgress);
  }

  /** The checkpoint of the whole log as it stands; kept in the checkpoints directory when the log has grown since the last one. */
  async checkpoint(): Promise<SignedCheckpoint> {
    const { size } = await this.catchUp();
    return this.keep(this.checkpointAt(size));
  }

  /** Keeps a checkpoint in the checkpoints directory when it signs more of the log than the last one kept. */
  keep(signed: SignedCheckpoint): SignedCheckpoint {
    if ((this.files.latest()?.size ?? -1) < signed.size) this.files.write(signed.size, signed.note);
    return signed;
  }

  /** The signed checkpoint of the tree of the log's first `size` events (the tree must hold them: catch up first). */
  checkpointAt(size: number): SignedCheckpoint {
    const key = this.signingKey();
    const root = this.tiles.root(size);
    return { size, root: root.toString('base64'), note: signCheckpoint({ origin: key.name, size, root }, key.name, key.privateKey, key.publicKey) };
  }

  /** The signed checkpoint of the log's first `size` events, the tree caught up first (what a report drawn at that moment carries). */
  async checkpointOf(size: number): Promise<SignedCheckpoint> {
    await this.catchUp();
    return this.checkpointAt(size);
  }

  /** The checkpoint last kept in the checkpoints directory, if any. */
  latestKept(): { size: number; path: string; note: string } | null {
    return this.files.latest();
  }

  /** The inclusion proof of an event in the tree of `size` events (default: the whole log). */
  async inclusion(eventId: string, size?: number): Promise<InclusionProofJson> {
    const head = await this.catchUp();
    const treeSize = this.checkedSize(size, head);
    const position = await this.store.positionOf(eventId);
    const index = position === null ? null : await this.tiles.indexOf(this.store, position);
    if (index === null) throw new DomainError('not-found', [problem('eventId', 'problem.evidence.noEvent', { id: eventId })]);
    if (index >= treeSize) throw new DomainError('invalid', [problem('size', 'problem.evidence.eventBeyond', { id: eventId, index, size: treeSize })]);
    return { index, size: treeSize, leaf: this.tiles.leaf(index).toString('base64'), path: this.tiles.inclusion(index, treeSize).map(base64) };
  }

  /** The consistency proof that the tree of `from` events is a prefix of the tree of `size` events (default: the whole log). */
  async consistency(from: number, size?: number): Promise<ConsistencyProofJson> {
    const head = await this.catchUp();
    const treeSize = this.checkedSize(size, head);
    if (!(Number.isSafeInteger(from) && from >= 1 && from <= treeSize)) throw new DomainError('invalid', [problem('from', 'problem.evidence.fromRange', { size: treeSize })]);
    return { from, size: treeSize, path: this.tiles.consistency(from, treeSize).map(base64) };
  }

  private checkedSize(size: number | undefined, head: TreeHead): number {
    if (size === undefined) return head.size;
    if (!(Number.isSafeInteger(size) && size >= 1 && size <= head.size)) throw new DomainError('invalid', [problem('size', 'problem.evidence.sizeRange', { size: head.size })]);
    return size;
  }
}

const base64 = (hash: Buffer) => hash.toString('base64');
