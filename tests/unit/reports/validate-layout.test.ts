import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLayout, reportLayoutDir } from '../../../src/reports/load-layout';
import { validateLayout } from '../../../src/reports/validate-layout';

/** A small valid layout to break one thing at a time. */
function base(): Record<string, unknown> {
  return {
    id: 'sample',
    language: 'zh-CN',
    labels: { 'zh-CN': { title: '表', status: { done: '已完成' } }, vi: { title: 'Bảng', status: { done: 'Xong' } } },
    page: { size: 'A4', orientation: 'portrait', margins: { top: 20, right: 20, bottom: 20, left: 20 } },
    formats: { amount: { number: { decimals: 2, grouping: true } } },
    title: [{ text: '{jurisdiction}{label.title}' }],
    tables: [{
      id: 't',
      sheet: 'Sheet',
      columns: [{ id: 'a', width: 10 }, { id: 'b', width: 10, format: 'amount' }, { id: 'c', width: 10 }],
      head: [[{ text: 'A', rowSpan: 2 }, { text: 'B+C', colSpan: 2 }], [{ text: 'B' }, { text: 'C' }]],
      body: { kind: 'fixed', rows: [{ a: { text: 'x' }, b: { bind: { key: 'm', where: { d: 'v' } } }, c: { sum: ['b'] } }] },
    }],
  };
}

const errorsOf = (layout: unknown) => {
  const r = validateLayout(layout);
  return r.ok ? [] : r.errors;
};

type Mutable = Record<string, unknown> & { tables: Record<string, unknown>[] };

describe('validateLayout', () => {
  it('accepts the sample layout', () => {
    expect(errorsOf(base())).toEqual([]);
  });

  it.each(readdirSync(reportLayoutDir()).filter((f) => f.endsWith('.yaml')))('accepts the shipped layout %s', (file) => {
    const result = parseLayout(readFileSync(join(reportLayoutDir(), file), 'utf8'), file);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('checks that every header row covers every column exactly once', () => {
    const l = base() as Mutable;
    l.tables[0].head = [[{ text: 'A', rowSpan: 2 }, { text: 'B' }], [{ text: 'B' }, { text: 'C', colSpan: 2 }]];
    expect(errorsOf(l)).toEqual([
      { path: 'tables[0].head[0]', reason: 'covers 2 of 3 columns' },
      { path: 'tables[0].head[1][1]', reason: 'the cell runs past the last column (3 columns)' },
      { path: 'tables[0].head[1]', reason: 'covers 2 of 3 columns' },
    ]);
  });

  it('rejects a rowSpan beyond the header rows', () => {
    const l = base() as Mutable;
    l.tables[0].head = [[{ text: 'A', rowSpan: 3 }, { text: 'B' }, { text: 'C' }]];
    expect(errorsOf(l)).toContainEqual({ path: 'tables[0].head[0][0].rowSpan', reason: 'rowSpan 3 runs past the last header row' });
  });

  it('names missing and unknown cells, unknown columns in sums and sum cycles', () => {
    const l = base() as Mutable;
    l.tables[0].body = { kind: 'fixed', rows: [{ a: { sum: ['c'] }, c: { sum: ['a', 'z'] }, d: { text: 'y' } }] };
    expect(errorsOf(l)).toEqual(expect.arrayContaining([
      { path: 'tables[0].body.rows[0].b', reason: 'missing cell for this column' },
      { path: 'tables[0].body.rows[0].d', reason: 'unknown column "d"' },
      { path: 'tables[0].body.rows[0].c.sum[1]', reason: 'unknown column "z"' },
      { path: 'tables[0].body.rows[0].a.sum', reason: 'sums refer to each other in a cycle' },
    ]));
  });

  it('wants exactly one kind of content in a cell', () => {
    const l = base() as Mutable;
    l.tables[0].body = { kind: 'fixed', rows: [{ a: { text: 'x', sum: ['b'] }, b: {}, c: { text: 'z' } }] };
    expect(errorsOf(l)).toEqual([
      { path: 'tables[0].body.rows[0].a', reason: 'a fixed cell needs exactly one of text, bind, sum; found text, sum' },
      { path: 'tables[0].body.rows[0].b', reason: 'a fixed cell needs exactly one of text, bind, sum' },
    ]);
  });

  it('checks label references in every language, and their kind', () => {
    const l = base();
    (l.labels as Record<string, Record<string, unknown>>).vi = { status: 'Xong' };
    l.title = [{ text: '{label.title} {state|status}' }];
    expect(errorsOf(l)).toEqual([
      { path: 'title[0].text', reason: 'label "title" is missing in labels.vi' },
      { path: 'title[0].text', reason: 'map "status" is a label, not a map, in labels.vi' },
    ]);
  });

  it('rejects malformed placeholders, unknown formats, unknown fields and bad sheet names', () => {
    const l = base() as Mutable;
    l.title = [{ text: '{jurisdiction' }];
    l.tables[0].columns = [{ id: 'a', width: 10, format: 'money' }, { id: 'b', width: 10 }, { id: 'c', width: 10 }];
    l.tables[0].sheet = 'a/b';
    l.tables[0].colour = 'red';
    expect(errorsOf(l)).toEqual(expect.arrayContaining([
      { path: 'title[0].text', reason: 'malformed placeholder at character 1: expected {name} or {name|map}' },
      { path: 'tables[0].columns[0].format', reason: 'unknown format "money"' },
      { path: 'tables[0].sheet', reason: 'a sheet name cannot contain [ ] : * ? / \\' },
      { path: 'tables[0].colour', reason: 'unknown field "colour"' },
    ]));
  });

  it('checks highlight classes have fills and body kinds are known', () => {
    const l = base() as Mutable;
    l.tables[0].body = {
      kind: 'repeated', list: 'rows', cells: { a: { field: 'a' }, b: { field: 'b' }, c: { text: '{s|status}' } },
      highlight: { field: 's', classes: { late: 'red' }, fills: { amber: 'FFE699' } },
    };
    expect(errorsOf(l)).toEqual([{ path: 'tables[0].body.highlight.classes.late', reason: 'class "red" has no fill' }]);
    l.tables[0].body = { kind: 'pivot' };
    expect(errorsOf(l)).toEqual([{ path: 'tables[0].body.kind', reason: 'expected one of fixed, repeated, grouped, got string "pivot"' }]);
  });

  it('locates errors at their line and column, and wants the file named after the id', () => {
    const text = 'id: other\nlanguage: zh-CN\npage: { size: A5, orientation: portrait, margins: { top: 1, right: 1, bottom: 1, left: 1 } }\ntitle: []\ntables: []\n';
    const result = parseLayout(text, 'sample.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(expect.arrayContaining([
      { path: 'page.size', reason: 'expected one of A4, got string "A5"', line: 3, column: 9 },
      { path: 'title', reason: 'must not be empty', line: 4, column: 1 },
    ]));
    const valid = parseLayout(readFileSync(join(reportLayoutDir(), 'nea-attachment-3.yaml'), 'utf8'), 'renamed.yaml');
    expect(valid.ok ? [] : valid.errors).toEqual([{ path: 'id', reason: 'layout id "nea-attachment-3" differs from the file name "renamed"', line: expect.any(Number), column: 1 }]);
  });
});
