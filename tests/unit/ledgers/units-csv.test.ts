import { parseCsv, parseUnitsCsv } from '../../../src/ledgers/open-ledger/units-csv';

const ROLES = ['supply-company', 'energy-authority'];
const HEADER = 'id,name,role,parent';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

describe('parseCsv (RFC 4180)', () => {
  it('splits plain records and keeps each record with its first line', () => {
    expect(parseCsv('a,b,c\nd,e,f')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['d', 'e', 'f'] },
    ]);
  });

  it('reads quoted fields holding commas, doubled quotes and line breaks, and counts the lines they span', () => {
    const text = 'a,"b, with comma","say ""hi"""\n"two\nlines",x,"three\nmore\nlines"\nlast,row,here\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b, with comma', 'say "hi"'] },
      { line: 2, fields: ['two\nlines', 'x', 'three\nmore\nlines'] },
      { line: 6, fields: ['last', 'row', 'here'] },
    ]);
  });

  it('accepts CRLF line ends, inside and outside quotes', () => {
    expect(parseCsv('a,b\r\nc,"d\r\ne"\r\nf,g\r\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd\r\ne'] },
      { line: 4, fields: ['f', 'g'] },
    ]);
  });

  it('drops a leading byte-order mark', () => {
    const [first] = parseCsv('\uFEFFid,name\nx,y\n');
    expect(first.fields).toEqual(['id', 'name']);
    expect(first.fields[0].charCodeAt(0)).toBe('i'.charCodeAt(0));
  });

  it('gives the same records with or without a trailing newline, and skips blank lines but counts them', () => {
    expect(parseCsv('a,b\nc,d\n')).toEqual(parseCsv('a,b\nc,d'));
    expect(parseCsv('a,b\n\n\nc,d\n\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 4, fields: ['c', 'd'] },
    ]);
  });

  it('keeps empty fields, quoted or not, including a trailing one', () => {
    expect(parseCsv('a,,c\n"",b,\n')).toEqual([
      { line: 1, fields: ['a', '', 'c'] },
      { line: 2, fields: ['', 'b', ''] },
    ]);
  });

  it('returns nothing for empty text', () => {
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\uFEFF')).toEqual([]);
    expect(parseCsv('\n\n')).toEqual([]);
  });
});

describe('parseUnitsCsv', () => {
  it('reads units with an optional parent, trimming fields', () => {
    const result = parseUnitsCsv(csv('gd-grid, Guangdong Grid ,supply-company,', 'gd-nea,广东省能源局,energy-authority,gd-grid'), ROLES);
    expect(result.problems).toMatchObject([]);
    expect(result.units).toEqual([
      { id: 'gd-grid', name: 'Guangdong Grid', role: 'supply-company', parent: null },
      { id: 'gd-nea', name: '广东省能源局', role: 'energy-authority', parent: 'gd-grid' },
    ]);
  });

  it('accepts a BOM, CRLF line ends, a header in other capitals and quoted names with commas', () => {
    const text = '\uFEFFID,Name,Role,Parent\r\n"gd-grid","Grid, Guangdong ""south""",supply-company,\r\n';
    const result = parseUnitsCsv(text, ROLES);
    expect(result.problems).toMatchObject([]);
    expect(result.units).toEqual([{ id: 'gd-grid', name: 'Grid, Guangdong "south"', role: 'supply-company', parent: null }]);
  });

  it('refuses a wrong header, naming line 1, and uses no row', () => {
    for (const header of ['id,name,role', 'name,id,role,parent', 'id,name,role,parent,extra', 'gd-grid,Grid,supply-company,']) {
      const result = parseUnitsCsv(`${header}\ngd-grid,Grid,supply-company,\n`, ROLES);
      expect(result.units).toEqual([]);
      expect(result.problems).toMatchObject([{ field: 'units.csv:1', reason: 'the header must be "id,name,role,parent"' }]);
    }
    expect(parseUnitsCsv('', ROLES).problems).toMatchObject([{ field: 'units.csv:1', reason: 'the header must be "id,name,role,parent"' }]);
  });

  it('refuses a file with a header and no unit', () => {
    expect(parseUnitsCsv(`${HEADER}\n`, ROLES).problems).toMatchObject([{ field: 'units.csv', reason: 'has no unit' }]);
  });

  it('names every problem of every row with its file, line and column', () => {
    const text = csv(
      'ok-1,Good,supply-company,', // 2
      'bad.id,Dotted,supply-company,', // 3
      'ok-2,,supply-company,', // 4 empty name
      'ok-3,Unknown role,mayor,', // 5
      'ok-4,Orphan,supply-company,nobody', // 6
      'ok-5,Too few,supply-company', // 7
      'ok-6,Too,many,fields,here', // 8
      ',No id,energy-authority,', // 9
    );
    const { problems } = parseUnitsCsv(text, ROLES, 'gd/units.csv');
    expect(problems.map((p) => p.field)).toMatchObject([
      'gd/units.csv:3 id',
      'gd/units.csv:4 name',
      'gd/units.csv:5 role',
      'gd/units.csv:7',
      'gd/units.csv:8',
      'gd/units.csv:9 id',
      'gd/units.csv:6 parent',
    ]);
    const reason = (field: string) => problems.find((p) => p.field === field)!.reason;
    expect(reason('gd/units.csv:3 id')).toMatch(/"bad\.id" must be 1–64 letters, digits/);
    expect(reason('gd/units.csv:4 name')).toBe('must not be empty');
    expect(reason('gd/units.csv:5 role')).toBe('"mayor" is not a role of the programme (supply-company, energy-authority)');
    expect(reason('gd/units.csv:6 parent')).toBe('"nobody" is not a unit of this file');
    expect(reason('gd/units.csv:7')).toBe('expected 4 fields (id,name,role,parent), found 3');
    expect(reason('gd/units.csv:8')).toBe('expected 4 fields (id,name,role,parent), found 5');
    expect(reason('gd/units.csv:9 id')).toBe('must be a non-empty string');
  });

  it('names several problems of one row, each with its column', () => {
    const { problems } = parseUnitsCsv(csv('a b,  ,chief,'), ROLES);
    expect(problems.map((p) => p.field)).toMatchObject(['units.csv:2 id', 'units.csv:2 name', 'units.csv:2 role']);
  });

  it('counts a quoted name spanning lines in the line numbers of later rows', () => {
    const text = `${HEADER}\ngd-a,"two\nline name",supply-company,\ngd-b,B,nobody,\n`;
    expect(parseUnitsCsv(text, ROLES).problems).toMatchObject([{ field: 'units.csv:4 role', reason: expect.stringContaining('"nobody"') }]);
  });

  it('refuses a duplicate id, naming the line that first defined it', () => {
    const { problems } = parseUnitsCsv(csv('gd-a,A,supply-company,', 'gd-b,B,supply-company,', 'gd-a,A again,supply-company,', 'gd-a,Thrice,supply-company,'), ROLES);
    expect(problems).toMatchObject([
      { field: 'units.csv:4 id', reason: '"gd-a" is already defined on line 2' },
      { field: 'units.csv:5 id', reason: '"gd-a" is already defined on line 2' },
    ]);
  });

  it('refuses a unit that is its own parent', () => {
    expect(parseUnitsCsv(csv('gd-a,A,supply-company,gd-a'), ROLES).problems).toMatchObject([{ field: 'units.csv:2 parent', reason: 'unit "gd-a" is its own ancestor' }]);
  });

  it('refuses a cycle, naming every unit on it', () => {
    const { problems } = parseUnitsCsv(csv('gd-a,A,supply-company,gd-c', 'gd-b,B,supply-company,gd-a', 'gd-c,C,supply-company,gd-b', 'gd-root,Root,energy-authority,'), ROLES);
    expect(problems).toMatchObject([
      { field: 'units.csv:2 parent', reason: 'unit "gd-a" is its own ancestor' },
      { field: 'units.csv:3 parent', reason: 'unit "gd-b" is its own ancestor' },
      { field: 'units.csv:4 parent', reason: 'unit "gd-c" is its own ancestor' },
    ]);
  });

  it('reports a cycle on the units that form it, not as "its own ancestor" for a unit merely below it', () => {
    // gd-leaf → gd-b → gd-c → gd-b: gd-leaf is not its own ancestor; gd-b and gd-c are.
    const { problems } = parseUnitsCsv(csv('gd-leaf,Leaf,supply-company,gd-b', 'gd-b,B,supply-company,gd-c', 'gd-c,C,supply-company,gd-b'), ROLES);
    expect(problems.filter((p) => /gd-b|gd-c/.test(p.reason)).map((p) => p.field)).toMatchObject(['units.csv:3 parent', 'units.csv:4 parent']);
    expect(problems).not.toContainEqual({ field: 'units.csv:2 parent', reason: 'unit "gd-leaf" is its own ancestor' });
  });

  it('accepts a deep hierarchy whatever the order of rows', () => {
    const rows = Array.from({ length: 50 }, (_, i) => `u${i},Unit ${i},supply-company,${i === 0 ? '' : `u${i - 1}`}`).reverse();
    const result = parseUnitsCsv(csv(...rows), ROLES);
    expect(result.problems).toMatchObject([]);
    expect(result.units).toHaveLength(50);
  });

  it('normalises Vietnamese and Chinese names to NFC', () => {
    const decomposed = 'Sở Nông nghiệp và Phát triển nông thôn tỉnh Cà Mau'.normalize('NFD');
    expect(decomposed).not.toBe(decomposed.normalize('NFC'));
    const result = parseUnitsCsv(csv(`camau-snn,${decomposed},supply-company,`, 'gd-grid,广东电网有限责任公司,supply-company,camau-snn'), ROLES);
    expect(result.problems).toMatchObject([]);
    expect(result.units[0].name).toBe('Sở Nông nghiệp và Phát triển nông thôn tỉnh Cà Mau'.normalize('NFC'));
    expect(result.units[0].name.normalize('NFC')).toBe(result.units[0].name);
    expect(result.units[1].name).toBe('广东电网有限责任公司');
  });

  it('refuses ids written in non-ASCII letters', () => {
    expect(parseUnitsCsv(csv('sở-nn,Sở,supply-company,'), ROLES).problems.map((p) => p.field)).toMatchObject(['units.csv:2 id']);
  });

  describe('when adding to a ledger', () => {
    const existing = new Set(['gd-grid', 'gd-nea']);

    it('accepts existing units as parents', () => {
      const result = parseUnitsCsv(csv('gd-sz,Shenzhen,supply-company,gd-grid'), ROLES, 'more.csv', existing);
      expect(result.problems).toMatchObject([]);
      expect(result.units).toEqual([{ id: 'gd-sz', name: 'Shenzhen', role: 'supply-company', parent: 'gd-grid' }]);
    });

    it('refuses an id already in the ledger and a parent in neither the file nor the ledger', () => {
      const { problems } = parseUnitsCsv(csv('gd-grid,Again,supply-company,', 'gd-sz,Shenzhen,supply-company,gd-nowhere'), ROLES, 'more.csv', existing);
      expect(problems).toMatchObject([
        { field: 'more.csv:2 id', reason: '"gd-grid" is already a unit of the ledger' },
        { field: 'more.csv:3 parent', reason: '"gd-nowhere" is not a unit of this file or of the ledger' },
      ]);
    });
  });
});
