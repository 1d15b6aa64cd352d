import Database from 'better-sqlite3';
import { exportLine } from '../../../src/audit/log-file';
import type { NewEvent, StoredEvent } from '../../../src/event-sourcing/event-store.port';
import { MerkleTiles } from '../../../src/evidence/merkle-tiles';
import { leafHash, nodeHash, nodesOfLeaves, treeRoot, type NodeSource, verifyConsistency, verifyInclusion, inclusionProof, consistencyProof } from '../../../src/evidence/merkle';
import { tempStore } from '../../support/temp-store';

/** Every complete subtree of the leaves, hashed once (the module's nodesOfLeaves recomputes them per call). */
function memoryTree(leaves: Buffer[]): NodeSource {
  const levels = [leaves];
  while (levels[levels.length - 1].length > 1) {
    const below = levels[levels.length - 1];
    levels.push(Array.from({ length: Math.floor(below.length / 2) }, (_, i) => nodeHash(below[2 * i], below[2 * i + 1])));
  }
  return { node: (level, index) => levels[level][index] };
}

const event = (i: number): NewEvent => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, type: 'Counted', data: { i }, metadata: { n: i % 7 } });

describe('the Merkle tiles kept beside a real embedded log', () => {
  it('follow the log in steps and give the roots and proofs of the tree built from its export lines, across tile levels (16⁴ = 65,536 leaves fill four levels)', async () => {
    const temp = tempStore();
    const db = new Database(':memory:');
    try {
      const tiles = new MerkleTiles(db);
      const leaves: Buffer[] = [];
      const stored: StoredEvent[] = [];
      // 66,000 events: more than 16⁴ leaves, so level-4 tiles are written too; appended in uneven steps, the tree caught up between them.
      const steps = [1, 255, 1, 300, 65_000, 443];
      let next = 0;
      for (const step of steps) {
        const batch = Array.from({ length: step }, () => event(next++));
        await temp.store.appendPlanned(async () => [{ stream: `count-${next}`, events: batch, expected: 'no-stream' }]);
        const head = await tiles.catchUp(temp.store);
        expect(head.size).toBe(next);
      }
      for await (const e of temp.store.readAll()) stored.push(e);
      stored.forEach((e, index) => leaves.push(leafHash(exportLine(e, index))));
      const memory = memoryTree(leaves);
      expect(tiles.head()).toEqual({ size: 66_000, position: stored[stored.length - 1].position });
      for (const size of [1, 2, 255, 256, 257, 557, 65_535, 65_536, 65_537, 66_000]) {
        const root = tiles.root(size);
        expect(root).toEqual(treeRoot(memory, size));
        for (const index of [0, size - 1, Math.floor(size / 3)]) {
          const path = tiles.inclusion(index, size);
          expect(path).toEqual(inclusionProof(memory, index, size));
          expect(verifyInclusion(index, size, leaves[index], path, root)).toBe(true);
        }
        const from = Math.max(1, Math.floor(size / 2) + 1);
        const proof = tiles.consistency(from, size);
        expect(proof).toEqual(consistencyProof(memory, from, size));
        expect(verifyConsistency(from, size, treeRoot(memory, from), root, proof)).toBe(true);
      }
      expect(() => tiles.root(66_001)).toThrow(/holds 66000 events/);
      for (const index of [0, 15, 16, 255, 256, 40_000, 65_999]) expect(await tiles.indexOf(temp.store, stored[index].position)).toBe(index);
      expect(await tiles.indexOf(temp.store, stored[65_999].position + 1)).toBeNull();
    } finally {
      db.close();
      await temp.dispose();
    }
  }, 120_000);

  it('lets a second follower of the same file find the work done', async () => {
    const temp = tempStore();
    const db = new Database(':memory:');
    try {
      await temp.store.append('count-a', [event(1), event(2), event(3)], 'no-stream');
      const first = new MerkleTiles(db);
      const second = new MerkleTiles(db);
      await first.catchUp(temp.store);
      expect(await second.catchUp(temp.store)).toEqual(first.head());
      expect(second.root(3)).toEqual(first.root(3));
    } finally {
      db.close();
      await temp.dispose();
    }
  });

  it('start again when the log beside them is another one (a replaced or re-imported store)', async () => {
    const [first, second] = [tempStore(), tempStore()];
    const db = new Database(':memory:');
    try {
      await first.store.append('count-a', [event(1), event(2), event(3)], 'no-stream');
      await second.store.append('count-b', [event(7), event(8), event(9), event(10)], 'no-stream');
      const tiles = new MerkleTiles(db);
      await tiles.catchUp(first.store);
      expect(await tiles.catchUp(second.store)).toEqual({ size: 4, position: 4 });
      const leaves: Buffer[] = [];
      for await (const e of second.store.readAll()) leaves.push(leafHash(exportLine(e, leaves.length)));
      expect(tiles.root(4)).toEqual(treeRoot(nodesOfLeaves(leaves), 4));
    } finally {
      db.close();
      await first.dispose();
      await second.dispose();
    }
  });
});
