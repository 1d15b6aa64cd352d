import type Database from 'better-sqlite3';
import { encodedEvents, type EncodedEvent } from '../event-sourcing/encoded-event';
import type { EventStore } from '../event-sourcing/event-store.port';
import { whenUnlocked } from '../event-store/sqlite/sqlite-faults';
import { inclusionProof, consistencyProof, leafHashOf, nodeHash, treeRoot, type NodeSource } from './merkle';

/** Hashes a tile holds, and the tree levels one tile spans: short tiles (2^4) bound the hashing of a proof's node to 7. */
const TILE_WIDTH = 16;
const TILE_HEIGHT = 4;
/** How long folding a batch waits for the read-model file held by another process. */
const LOCK_DEADLINE_MS = 15_000;
/** Events read and folded into the tree per transaction. */
const BATCH = 20_000;

export interface TreeHead {
  /** Leaves in the tree: the first `size` events of the log. */
  size: number;
  /** The log position of the last of them (0 for none). */
  position: number;
}

/**
 * The log's Merkle tree kept beside the log, in tiles: tile (L, i) holds the hashes of the complete
 * subtrees of height 4·L numbered 16·i … 16·i + 15 (level 0: the leaf hashes). A proof over a log of
 * millions reads one tile per path node and hashes at most 7 nodes for it; building stores one row per
 * 16 leaves (and one per 16 rows of the level below). It lives in its own tables of the read-model database and follows the log lazily
 * (`catchUp` before a checkpoint or a proof), so the append path is untouched. It is derived data:
 * `verify` never trusts it and recomputes the tree from the events.
 */
export class MerkleTiles implements NodeSource {
  private prepared: ReturnType<MerkleTiles['prepare']> | null = null;
  /** The head this object last wrote or found to be the given store's: no need to look at the store's events again while it stands. */
  private confirmed: { store: EventStore; size: number; position: number } | null = null;

  /** Tables are made on first use, not at start-up: an application over a read-only read-model file still starts (proofs then fail, verify does not need them). */
  constructor(private readonly db: Database.Database) {}

  private get statements(): ReturnType<MerkleTiles['prepare']> {
    if (!this.prepared) {
      // As the projection runner does at start-up: waiting a moment for another process's lock on the read-model file is harmless here.
      const busy = this.db.pragma('busy_timeout', { simple: true });
      this.db.pragma('busy_timeout = 5000');
      try {
        this.createTables();
      } finally {
        this.db.pragma(`busy_timeout = ${busy}`);
      }
      this.prepared = this.prepare();
    }
    return this.prepared;
  }

  private createTables(): void {
    this.db.exec(`CREATE TABLE IF NOT EXISTS merkle_tiles_v1 (level INTEGER NOT NULL, idx INTEGER NOT NULL, hashes BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS merkle_head_v1 (one INTEGER PRIMARY KEY CHECK (one = 1), size INTEGER NOT NULL, position INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS merkle_tile_positions_v1 (idx INTEGER PRIMARY KEY, first_position INTEGER NOT NULL UNIQUE);`);
  }

  private prepare() {
    const db = this.db;
    return {
      head: db.prepare<[], TreeHead>('SELECT size, position FROM merkle_head_v1 WHERE one = 1'),
      setHead: db.prepare('INSERT OR REPLACE INTO merkle_head_v1 (one, size, position) VALUES (1, ?, ?)'),
      tile: db.prepare<[number, number], { hashes: Buffer }>('SELECT hashes FROM merkle_tiles_v1 WHERE level = ? AND idx = ?'),
      setTile: db.prepare('INSERT OR REPLACE INTO merkle_tiles_v1 (level, idx, hashes) VALUES (?, ?, ?)'),
      setTilePosition: db.prepare('INSERT OR REPLACE INTO merkle_tile_positions_v1 (idx, first_position) VALUES (?, ?)'),
      tileAt: db.prepare<[number], { idx: number; first_position: number }>(
        'SELECT idx, first_position FROM merkle_tile_positions_v1 WHERE first_position <= ? ORDER BY first_position DESC LIMIT 1',
      ),
      // Made once: better-sqlite3 builds a transaction's wrappers at each db.transaction call.
      fold: db.transaction((from: TreeHead, leaves: Buffer[], positions: number[]) => this.fold(from, leaves, positions)),
    };
  }

  /** Writes the leaves read after `from` into the tiles, unless another process moved the head first (false: read again). */
  private fold(from: TreeHead, leaves: Buffer[], positions: number[]): boolean {
    const now = this.head();
    if (now.size !== from.size || now.position !== from.position) return false;
    const edge = new TreeEdge(from.size, (level, idx) => this.tileEntries(level, idx));
    leaves.forEach((leaf, offset) => {
      const index = from.size + offset;
      edge.append(leaf);
      if (index % TILE_WIDTH === 0) this.statements.setTilePosition.run(index / TILE_WIDTH, positions[offset]);
    });
    for (const [level, idx, hashes] of edge.changedTiles()) this.statements.setTile.run(level, idx, hashes);
    this.statements.setHead.run(from.size + leaves.length, positions[positions.length - 1]);
    return true;
  }

  head(): TreeHead {
    return this.statements.head.get() ?? { size: 0, position: 0 };
  }

  /** Folds the events appended since the tree's head into it; returns the new head. Safe beside another process doing the same. */
  async catchUp(store: EventStore, onProgress?: (size: number) => void): Promise<TreeHead> {
    await this.forgetIfAnotherLog(store);
    for (;;) {
      const from = this.head();
      // Leaf hashes taken while reading (not the events kept): a batch holds 32 bytes and a position per event.
      const leaves: Buffer[] = [];
      const positions: number[] = [];
      for await (const event of encodedEvents(store, { after: from.position, maxCount: BATCH })) {
        leaves.push(leafHashOf(event, from.size + leaves.length));
        positions.push(event.position);
      }
      if (leaves.length === 0) return from;
      const fold = () => this.statements.fold.immediate(from, leaves, positions);
      // Another process's write on the read-model file is waited for asynchronously, as the projection runner waits.
      const moved = await whenUnlocked(fold, LOCK_DEADLINE_MS);
      if (!moved) continue;
      const head = { size: from.size + leaves.length, position: positions[positions.length - 1] };
      this.confirmed = { store, ...head };
      onProgress?.(head.size);
      // A short batch reached the end of the log as it was read: no need to read again for nothing.
      if (leaves.length < BATCH) return head;
    }
  }

  /**
   * The tiles describe the log only if their last leaf is still the leaf of the event at their head
   * (a read-model file kept beside a store that was replaced or re-imported does not): otherwise the
   * tree starts again from nothing. Tampering is verify's business, which recomputes everything.
   */
  private async forgetIfAnotherLog(store: EventStore): Promise<void> {
    const head = this.head();
    if (head.size === 0) return;
    const known = this.confirmed;
    if (known && known.store === store && known.size === head.size && known.position === head.position) return;
    let last: EncodedEvent | null = null;
    for await (const event of encodedEvents(store, { after: head.position - 1, maxCount: 1 })) last = event;
    if (last && last.position === head.position && leafHashOf(last, head.size - 1).equals(this.leaf(head.size - 1))) {
      this.confirmed = { store, ...head };
      return;
    }
    const forget = this.db.transaction(() => this.db.exec('DELETE FROM merkle_tiles_v1; DELETE FROM merkle_head_v1; DELETE FROM merkle_tile_positions_v1;'));
    await whenUnlocked(() => forget.immediate(), LOCK_DEADLINE_MS);
  }

  /** The 0-based log index of the event at a position the tree holds, or null: a look-up of its tile, then at most 16 events read. */
  async indexOf(store: EventStore, position: number): Promise<number | null> {
    const tile = this.statements.tileAt.get(position);
    if (!tile || position > this.head().position) return null;
    let index = tile.idx * TILE_WIDTH;
    for await (const event of store.readAll({ after: tile.first_position - 1, maxCount: TILE_WIDTH })) {
      if (event.position === position) return index;
      index++;
    }
    return null;
  }

  node(level: number, index: number): Buffer {
    const tileLevel = Math.floor(level / TILE_HEIGHT);
    const up = level % TILE_HEIGHT;
    const first = index * 2 ** up;
    const entries = this.tileEntries(tileLevel, Math.floor(first / TILE_WIDTH));
    let hashes = entries.slice(first % TILE_WIDTH, (first % TILE_WIDTH) + 2 ** up);
    if (hashes.length !== 2 ** up) throw new Error(`the Merkle tiles lack the subtree ${level}/${index}: the tree is behind the size asked for`);
    for (let i = 0; i < up; i++) hashes = pairUp(hashes);
    return hashes[0];
  }

  root(size: number): Buffer {
    this.assertCovers(size);
    return treeRoot(this, size);
  }

  leaf(index: number): Buffer {
    return this.node(0, index);
  }

  inclusion(index: number, size: number): Buffer[] {
    this.assertCovers(size);
    return inclusionProof(this, index, size);
  }

  consistency(from: number, size: number): Buffer[] {
    this.assertCovers(size);
    return consistencyProof(this, from, size);
  }

  private assertCovers(size: number): void {
    const head = this.head();
    if (size > head.size) throw new RangeError(`the tree holds ${head.size} events, not ${size}`);
  }

  private tileEntries(level: number, idx: number): Buffer[] {
    const row = this.statements.tile.get(level, idx);
    return row ? splitHashes(row.hashes) : [];
  }
}

/** The right edge of the tiled tree while leaves are appended: the partial tile of each level, and the tiles to write. */
class TreeEdge {
  private readonly partial: Buffer[][] = [];
  private readonly changed = new Map<string, [number, number, Buffer[]]>();

  constructor(
    private size: number,
    load: (level: number, idx: number) => Buffer[],
  ) {
    for (let level = 0, count = size; count > 0; level++, count = Math.floor(count / TILE_WIDTH)) {
      this.partial[level] = count % TILE_WIDTH === 0 ? [] : load(level, Math.floor(count / TILE_WIDTH));
    }
  }

  append(leaf: Buffer): void {
    this.size++;
    let hash: Buffer | null = leaf;
    for (let level = 0, count = this.size; hash; level++, count = Math.floor(count / TILE_WIDTH)) {
      const entries = (this.partial[level] ??= []);
      entries.push(hash);
      const idx = Math.floor((count - 1) / TILE_WIDTH);
      this.changed.set(`${level}/${idx}`, [level, idx, entries]);
      if (entries.length < TILE_WIDTH) {
        hash = null;
      } else {
        hash = subtreeOf(entries);
        this.partial[level] = [];
      }
    }
  }

  changedTiles(): [number, number, Buffer][] {
    return [...this.changed.values()].map(([level, idx, entries]) => [level, idx, Buffer.concat(entries)]);
  }
}

function splitHashes(bytes: Buffer): Buffer[] {
  const hashes: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 32) hashes.push(bytes.subarray(i, i + 32));
  return hashes;
}

function pairUp(hashes: Buffer[]): Buffer[] {
  const up: Buffer[] = [];
  for (let i = 0; i < hashes.length; i += 2) up.push(nodeHash(hashes[i], hashes[i + 1]));
  return up;
}

function subtreeOf(entries: Buffer[]): Buffer {
  let hashes = entries;
  while (hashes.length > 1) hashes = pairUp(hashes);
  return hashes[0];
}
