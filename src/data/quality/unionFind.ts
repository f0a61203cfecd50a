// Disjoint sets over 0..n-1 (path halving, union by size), for duplicate groups and split groups.
// Pure; typed arrays; no DOM, no I/O.

export type UnionFind = { parent: Int32Array; size: Int32Array };

export function createUnionFind(n: number): UnionFind {
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  return { parent, size: new Int32Array(n).fill(1) };
}

export function findRoot(uf: UnionFind, x: number): number {
  const p = uf.parent;
  while (p[x] !== x) {
    p[x] = p[p[x]];
    x = p[x];
  }
  return x;
}

/** Joins the sets of x and y (mutates uf, hence the name). */
export function unionInPlace(uf: UnionFind, x: number, y: number): void {
  let rx = findRoot(uf, x);
  let ry = findRoot(uf, y);
  if (rx === ry) return;
  if (uf.size[rx] < uf.size[ry]) [rx, ry] = [ry, rx];
  uf.parent[ry] = rx;
  uf.size[rx] += uf.size[ry];
}

/** Dense component id per element (0, 1, … in order of first element). */
export function componentIds(uf: UnionFind): Int32Array {
  const n = uf.parent.length;
  const ids = new Int32Array(n).fill(-1);
  const out = new Int32Array(n);
  let next = 0;
  for (let i = 0; i < n; i++) {
    const r = findRoot(uf, i);
    if (ids[r] < 0) ids[r] = next++;
    out[i] = ids[r];
  }
  return out;
}
