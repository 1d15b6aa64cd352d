import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './cli-in-process';
import { ROOT } from './ledger-log';

const UNITS = 'id,name,role,parent\ngd-energy,广东省能源局,energy-authority,\ngd-grid,广东电网有限责任公司,supply-company,\ngz-grid,广州供电局,supply-company,gd-grid\n';

/** A progress record of a supply company of ledger gd-2021 (task 4 is theirs); `note` tells records apart. */
export function progressLine(unit: 'gd-grid' | 'gz-grid', note: string): Record<string, unknown> {
  return { type: 'progress', ledger: 'gd-2021', unit, task: '4', status: 'in-progress', on: '2021-06-30', note };
}

/**
 * A real embedded store in a fresh directory (open to every user, for the tests that run a process
 * as another user) holding the NEA programme, ledger gd-2021 with its units, and an admin token.
 */
export async function neaStore(directory = mkdtempSync(join(tmpdir(), 'ledger-faults-'))) {
  chmodSync(directory, 0o1777);
  const path = join(directory, 'ledger.db');
  const store = `sqlite:${path}`;
  const units = join(directory, 'units.csv');
  writeFileSync(units, UNITS);
  for (const args of [
    ['programme', 'import', join(ROOT, 'templates', 'programmes', 'nea-2021-37.yaml')],
    ['ledger', 'open', 'gd-2021', '--programme', 'nea-2021-37', '--units', units],
  ]) {
    const result = await cli(store, ...args);
    if (result.code !== 0) throw new Error(`${args.join(' ')}: ${result.err.join('\n')}`);
  }
  const token = (await cli(store, 'token', 'create', '--unit', 'gd-energy', '--role', 'admin')).out[0];
  return { directory, path, store, token };
}

/** An NDJSON file of `lines` progress records without ids, alternating between the two supply companies. */
export function progressFile(directory: string, lines: number, tag: string): string {
  const file = join(directory, `${tag}.ndjson`);
  const records = Array.from({ length: lines }, (_, n) => JSON.stringify(progressLine(n % 2 === 0 ? 'gd-grid' : 'gz-grid', `${tag} ${n}`)));
  writeFileSync(file, `${records.join('\n')}\n`);
  return file;
}
