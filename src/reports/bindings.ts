/**
 * Bindings of fixed cells to the data's `values`: the key format shared with the data wiring, and
 * the list of what a layout needs, so the wiring queries exactly that.
 */
import type { Binding, ReportLayout } from './layout';

/** The key of a bound value in `data.values`: `key` or `key{dim=value,…}` with dimensions sorted. */
export function bindingKey(binding: Binding): string {
  const dims = Object.entries(binding.where ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return dims.length === 0 ? binding.key : `${binding.key}{${dims.map(([k, v]) => `${k}=${v}`).join(',')}}`;
}

/** Every binding of a layout's fixed rows, once each, in layout order: what the data wiring must query. */
export function layoutBindings(layout: ReportLayout): Binding[] {
  const out = new Map<string, Binding>();
  for (const t of layout.tables) {
    if (t.body.kind !== 'fixed') continue;
    for (const row of t.body.rows) for (const cell of Object.values(row)) if ('bind' in cell) out.set(bindingKey(cell.bind), cell.bind);
  }
  return [...out.values()];
}
