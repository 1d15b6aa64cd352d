import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  CompactRange,
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  nodesOfLeaves,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from '../../../src/evidence/merkle';

const VECTORS = join(__dirname, '../../support/merkle-vectors');
const b64 = (text: string) => Buffer.from(text, 'base64');
const hex = (text: string) => Buffer.from(text, 'hex');

function probes(dir: string): { file: string; probe: Record<string, unknown> }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return probes(path);
    return name.endsWith('.json') ? [{ file: path.slice(VECTORS.length + 1), probe: JSON.parse(readFileSync(path, 'utf8')) }] : [];
  });
}

/** The RFC's definitions written out on arrays, independently of the module under test. */
const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const naiveLeaf = (data: Buffer) => sha(Buffer.from([0]), data);
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
function naiveMth(d: Buffer[]): Buffer {
  if (d.length === 0) return sha();
  if (d.length === 1) return naiveLeaf(d[0]);
  return sha(Buffer.from([1]), naiveMth(d.slice(0, k(d.length))), naiveMth(d.slice(k(d.length))));
}
function naivePath(m: number, d: Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const s = k(d.length);
  return m < s ? [...naivePath(m, d.slice(0, s)), naiveMth(d.slice(s))] : [...naivePath(m - s, d.slice(s)), naiveMth(d.slice(0, s))];
}
function naiveSubproof(m: number, d: Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [naiveMth(d)];
  const s = k(d.length);
  return m <= s ? [...naiveSubproof(m, d.slice(0, s), b), naiveMth(d.slice(s))] : [...naiveSubproof(m - s, d.slice(s), false), naiveMth(d.slice(0, s))];
}

describe('the Merkle tree against the published transparency-dev vectors', () => {
  const tree = JSON.parse(readFileSync(join(VECTORS, 'tree.json'), 'utf8')) as { leaves: string[]; roots: string[]; leafHashes: string[] };
  const leaves = tree.leaves.map(hex).map(leafHash);

  it('hashes the reference leaves and gives the reference root of every size', () => {
    expect(leaves.map((h) => h.toString('hex'))).toEqual(tree.leafHashes);
    for (let size = 0; size <= leaves.length; size++) {
      expect(treeRoot(nodesOfLeaves(leaves), size).toString('hex')).toBe(tree.roots[size]);
      const range = new CompactRange();
      leaves.slice(0, size).forEach((leaf) => range.append(leaf));
      expect(range.root().toString('hex')).toBe(tree.roots[size]);
    }
    expect(EMPTY_ROOT.toString('hex')).toBe(tree.roots[0]);
  });

  const inclusion = probes(join(VECTORS, 'inclusion'));
  const consistency = probes(join(VECTORS, 'consistency'));

  it('reads every probe file', () => {
    expect(inclusion.length).toBeGreaterThan(60);
    expect(consistency.length).toBeGreaterThan(80);
    expect(inclusion.filter((p) => p.probe.wantErr).length).toBeGreaterThan(50);
  });

  it.each(inclusion.map((p) => [p.file, p.probe] as const))('inclusion %s', (_file, p) => {
    const ok = verifyInclusion(p.leafIdx as number, p.treeSize as number, b64(p.leafHash as string), ((p.proof as string[] | null) ?? []).map(b64), b64(p.root as string));
    expect(ok).toBe(!p.wantErr);
  });

  it.each(consistency.map((p) => [p.file, p.probe] as const))('consistency %s', (_file, p) => {
    const ok = verifyConsistency(p.size1 as number, p.size2 as number, b64(p.root1 as string), b64(p.root2 as string), ((p.proof as string[] | null) ?? []).map(b64));
    expect(ok).toBe(!p.wantErr);
  });

  it('generates exactly the proofs of the happy-path vectors', () => {
    for (const { probe } of inclusion.filter((p) => p.probe.desc === 'happy path')) {
      const source = nodesOfLeaves(leaves.slice(0, probe.treeSize as number));
      expect(inclusionProof(source, probe.leafIdx as number, probe.treeSize as number).map((h) => h.toString('base64'))).toEqual(probe.proof ?? []);
    }
    for (const { probe } of consistency.filter((p) => p.probe.desc === 'happy path')) {
      const proof = consistencyProof(nodesOfLeaves(leaves), probe.size1 as number, probe.size2 as number);
      expect(proof.map((h) => h.toString('base64'))).toEqual(probe.proof ?? []);
    }
  });
});

describe('the Merkle tree against a naive implementation of the RFC', () => {
  const data = Array.from({ length: 70 }, (_, i) => createHash('sha256').update(`leaf ${i}`).digest().subarray(0, (i % 40) + 1));
  const leaves = data.map(leafHash);
  const source = nodesOfLeaves(leaves);

  it('gives the naive root, inclusion paths and consistency proofs for every size and index, and they verify', () => {
    const range = new CompactRange();
    for (let size = 1; size <= data.length; size++) {
      range.append(leaves[size - 1]);
      const root = naiveMth(data.slice(0, size));
      expect(treeRoot(source, size)).toEqual(root);
      expect(range.root()).toEqual(root);
      for (let index = 0; index < size; index++) {
        const path = inclusionProof(source, index, size);
        expect(path).toEqual(naivePath(index, data.slice(0, size)));
        expect(verifyInclusion(index, size, leaves[index], path, root)).toBe(true);
        expect(verifyInclusion(index, size, leaves[(index + 1) % size], path, root)).toBe(size === 1);
      }
      for (let from = 1; from <= size; from++) {
        const proof = consistencyProof(source, from, size);
        expect(proof).toEqual(from === size ? [] : naiveSubproof(from, data.slice(0, size), true));
        expect(verifyConsistency(from, size, naiveMth(data.slice(0, from)), root, proof)).toBe(true);
        if (from < size) expect(verifyConsistency(from, size, naiveMth(data.slice(1, from + 1)), root, proof)).toBe(false);
      }
    }
  });

  it('reports every complete subtree it closes with its level and index', () => {
    const seen: string[] = [];
    const range = new CompactRange();
    leaves.slice(0, 8).forEach((leaf) => range.append(leaf, (level, index, hash) => seen.push(`${level}:${index}:${hash.equals(source.node(level, index))}`)));
    expect(seen).toEqual(['1:0:true', '1:1:true', '2:0:true', '1:2:true', '1:3:true', '2:1:true', '3:0:true']);
  });
});
