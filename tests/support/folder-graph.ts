/**
 * The module folders' dependency graph, from dependency-cruiser's JSON: a folder depends on another
 * when one of its files imports one of the other's (type-only imports too: a folder that names
 * another's types depends on it). The module folders are src/<folder>/ and projections/; each file
 * at the top of src/ (main, cli, server, app.module, config) is a node of its own.
 */
export interface Cruise {
  modules: { source: string; dependencies: { resolved: string; dependencyTypes: string[] }[] }[];
}

/** The folder edge `from -> to` with the file imports behind it. */
export type FolderEdges = Map<string, string[]>;

export function moduleOf(path: string): string | null {
  const folder = /^src\/([^/]+)\//.exec(path);
  if (folder) return folder[1];
  if (/^src\/[^/]+$/.test(path)) return path;
  return path.startsWith('projections/') ? 'projections' : null;
}

export function folderEdges(cruise: Cruise): FolderEdges {
  const edges: FolderEdges = new Map();
  for (const { source, dependencies } of cruise.modules) {
    const from = moduleOf(source);
    for (const { resolved } of dependencies) {
      const to = moduleOf(resolved);
      if (!from || !to || from === to) continue;
      const key = `${from} -> ${to}`;
      edges.set(key, [...(edges.get(key) ?? []), `${source} -> ${resolved}`]);
    }
  }
  return edges;
}

/** The groups of folders that reach each other (strongly connected, more than one folder), each sorted. */
export function folderCycles(edges: Iterable<string>): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const [from, to] = edge.split(' -> ');
    next.set(from, [...(next.get(from) ?? []), to]);
    if (!next.has(to)) next.set(to, []);
  }
  // Tarjan's algorithm: one depth-first walk, each folder's lowest reachable index on the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (folder: string) => {
    index.set(folder, index.size);
    low.set(folder, index.get(folder)!);
    stack.push(folder);
    for (const to of next.get(folder)!) {
      if (!index.has(to)) {
        visit(to);
        low.set(folder, Math.min(low.get(folder)!, low.get(to)!));
      } else if (stack.includes(to)) low.set(folder, Math.min(low.get(folder)!, index.get(to)!));
    }
    if (low.get(folder) !== index.get(folder)) return;
    const group = stack.splice(stack.indexOf(folder));
    if (group.length > 1) groups.push(group.sort());
  };
  for (const folder of next.keys()) if (!index.has(folder)) visit(folder);
  return groups;
}
