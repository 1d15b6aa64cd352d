import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTemplate } from '../../../src/programmes/load-template';
import { localLevel } from '../../../src/reports/data/ocop-progress.data';
import { loadReportLayout } from '../../../src/reports/load-layout';

const template = (id: string) => {
  const file = join(__dirname, '../../../templates/programmes', `${id}.yaml`);
  const loaded = parseTemplate(readFileSync(file, 'utf8'), file);
  if (!loaded.ok) throw new Error(`${id} must load`);
  return loaded.template;
};

describe('OCOP reports by the local levels the programme names today', () => {
  it('Đồng Tháp 2026–2030 reports by tỉnh and xã/phường (two-level local government since 1 July 2025); Cà Mau and An Giang 2022 by cấp huyện', () => {
    expect(localLevel(template('dongthap-ocop-2026-2030'))).toBe('commune');
    expect(localLevel(template('camau-ocop-2022'))).toBe('district');
    expect(localLevel(template('angiang-ocop-2022'))).toBe('district');
  });

  it('a commune-level report names no district council and no district allocation', () => {
    const labels = loadReportLayout('ocop-progress').labels!.vi as Record<string, Record<string, string>>;
    expect(labels.assessedRows.commune).not.toMatch(/Hội đồng cấp huyện/);
    expect(labels.districtCaptions['none-commune']).toMatch(/xã, phường/);
    expect(labels.districtCaptions['none-commune']).not.toMatch(/huyện/);
  });
});
