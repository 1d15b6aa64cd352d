import { readText } from '../../input/text';
import type { Problem } from '../../event-sourcing/domain-error';
import { idProblem } from '../ids';
import { problem, refusedField } from '../../i18n/problem';

export interface UnitRow {
  id: string;
  name: string;
  role: string;
  parent: string | null;
}

/** Splits CSV text into records of fields (RFC 4180: quoted fields may hold commas, quotes and line breaks), with each record's first line. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const source = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
      fields = [];
      field = '';
      line++;
      recordLine = line;
    } else field += c;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ line: recordLine, fields });
  }
  return records;
}

/**
 * Reads units.csv (`id,name,role,parent`): every problem is named with its line and column, and
 * none of the rows is used if any is wrong. Roles must be the programme's; parents must be units
 * of the file; the hierarchy must have no cycle.
 */
export function parseUnitsCsv(
  text: string,
  roles: readonly string[],
  file = 'units.csv',
  /** Units already in the ledger (when adding): valid parents, and ids that may not be reused. */
  existing: ReadonlySet<string> = new Set(),
): { units: UnitRow[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const records = parseCsv(text);
  const header = records.shift();
  const expected = ['id', 'name', 'role', 'parent'];
  if (!header || header.fields.map((f) => f.trim().toLowerCase()).join(',') !== expected.join(',')) {
    return { units: [], problems: [problem(`${file}:1`, 'problem.units.header', { header: expected.join(',') })] };
  }
  const units: (UnitRow & { line: number })[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of records) {
    const at = (column: string) => `${file}:${line} ${column}`;
    if (fields.length !== 4) {
      problems.push(problem(`${file}:${line}`, 'problem.units.fieldCount', { found: fields.length }));
      continue;
    }
    const [id, name, role, parent] = fields.map((f, i) => {
      const read = readText(f.trim());
      if ('text' in read) return read.text;
      problems.push({ field: at(['id', 'name', 'role', 'parent'][i]), reason: read.problem, message: read.message });
      return f.trim();
    });
    const idIssue = idProblem(id);
    if (idIssue) problems.push(refusedField(at('id'), idIssue));
    else if (seen.has(id)) problems.push(problem(at('id'), 'problem.units.repeated', { id, line: seen.get(id) ?? line }));
    else if (existing.has(id)) problems.push(problem(at('id'), 'problem.units.alreadyInLedger', { id }));
    if (!name) problems.push(problem(at('name'), 'problem.notEmpty'));
    if (!roles.includes(role)) problems.push(problem(at('role'), 'problem.units.unknownRole', { role, roles: roles.join(', ') }));
    seen.set(id, seen.get(id) ?? line);
    units.push({ id, name, role, parent: parent === '' ? null : parent, line });
  }
  for (const unit of units) {
    if (unit.parent !== null && !seen.has(unit.parent) && !existing.has(unit.parent)) {
      problems.push(problem(`${file}:${unit.line} parent`, existing.size ? 'problem.units.unknownParentOrLedger' : 'problem.units.unknownParent', { parent: unit.parent }));
    }
  }
  const parentOf = new Map(units.map((u) => [u.id, u.parent]));
  for (const unit of units) {
    let current = unit.parent;
    for (let steps = 0; current !== null && current !== undefined; steps++) {
      if (current === unit.id) {
        problems.push(problem(`${file}:${unit.line} parent`, 'problem.units.ownAncestor', { id: unit.id }));
        break;
      }
      // Below a cycle it does not belong to: the units of the cycle report it.
      if (steps > units.length) break;
      current = parentOf.get(current) ?? null;
    }
  }
  if (records.length === 0) problems.push(problem(file, 'problem.units.none'));
  return { units: units.map(({ line: _line, ...u }) => u), problems };
}

/** Units as units.csv text (quoted where needed): how units given as data (HTTP, the demo) reach the one CSV path. */
export function unitsCsv(units: readonly UnitRow[]): string {
  const quote = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return ['id,name,role,parent', ...units.map((u) => [u.id, u.name, u.role, u.parent ?? ''].map(quote).join(','))].join('\n') + '\n';
}
