import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every reason a person reads comes from the message catalogue (src/i18n), so each edge gives it in
 * the caller's language: no `reason: '…'` / `reason: \`…\`` literal and no DomainError.invalid/notFound
 * with a literal reason in src/**, but for the developer-only ones allowed below.
 */
const ROOT = join(__dirname, '../../..');
const SRC = join(ROOT, 'src');


/** Literal reasons that are not refusals read by a clerk, an administrator or an auditor: the file, a piece of the line, and why. */
const ALLOWED: readonly { file: string; line: string; why: string }[] = [
  { file: 'src/reports/load-layout.ts', line: 'reason: `YAML: ', why: 'report layouts ship with the code: their errors reach developers at start-up and in the tests' },
  { file: 'src/reports/load-layout.ts', line: 'reason: `layout id ', why: 'report layouts ship with the code: their errors reach developers at start-up and in the tests' },
  { file: 'src/access/auth.guard.ts', line: "reason: 'this route names no role", why: 'a route declared without @Roles is a programming error: the wiring test fails on it before anyone can call it' },
  { file: 'src/access/principal.decorator.ts', line: "reason: 'this route needs a caller'", why: 'a public route asking for its caller is a programming error: the guard answers every private route first' },
  { file: 'src/access/token.decider.ts', line: 'reason: `token ${command.tokenId} already exists`', why: 'token ids are 128 random bits chosen by the server: a collision is a bug, not a caller mistake' },
  { file: 'src/web/units/unit-correction.controller.ts', line: "{ value: '', reason: '' }", why: 'the empty reason field of a new correction form, not a refusal' },
  { file: 'src/demo/camau-ocop-season.ts', line: "reason: 'Kiểm tra, giám sát", why: 'a revocation reason the demo records, in its programme’s language: data, not an error' },
];

const LITERAL_REASON = /\breason: ['`]/;
const LITERAL_DOMAIN_ERROR = /DomainError\.(?:invalid|notFound)\((?:[^'`"]|'[^']*'|"[^"]*"|`[^`]*`)*?,\s*['`]/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `file:line  text` of each literal reason outside the allow-list. */
function offenders(): string[] {
  return sources(SRC).flatMap((path) => {
    const file = relative(ROOT, path);
    return readFileSync(path, 'utf8')
      .split('\n')
      .flatMap((text, index) => {
        if (!LITERAL_REASON.test(text) && !LITERAL_DOMAIN_ERROR.test(text)) return [];
        if (ALLOWED.some((allowed) => allowed.file === file && text.includes(allowed.line))) return [];
        return [`${file}:${index + 1}  ${text.trim()}`];
      });
  });
}

describe('reasons come from the message catalogue', () => {
  it('has no literal reason in src (outside the allow-list and the folders not yet moved)', () => {
    expect(offenders()).toEqual([]);
  });

  it('finds a literal reason of either form, so the scan can fail', () => {
    expect(LITERAL_REASON.test("problems.push({ field: 'x', reason: 'must be a string' });")).toBe(true);
    expect(LITERAL_REASON.test('return { ok: false, reason: `tree size ${n}` };')).toBe(true);
    expect(LITERAL_DOMAIN_ERROR.test("throw DomainError.invalid('period', 'is required');")).toBe(true);
    expect(LITERAL_DOMAIN_ERROR.test('throw DomainError.notFound(`units[${i}].id`, `no unit "${id}"`);')).toBe(true);
    expect(LITERAL_DOMAIN_ERROR.test("throw new DomainError('invalid', [problem('period', 'problem.periodRequired')]);")).toBe(false);
    expect(LITERAL_REASON.test('if (!opened.ok) throw new DomainError(\'invalid\', [problemOf(label, opened)]);')).toBe(false);
  });

  it('allows only lines that are still there, each with its why', () => {
    for (const allowed of ALLOWED) {
      expect(allowed.why.length).toBeGreaterThan(20);
      expect(readFileSync(join(ROOT, allowed.file), 'utf8')).toContain(allowed.line);
    }
  });
});
