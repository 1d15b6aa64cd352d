import type { Projection } from './projection';

/** Ledgers and their units, each unit with the log position it joined at and (if retired) left at. */
export const ledgersProjection: Projection = {
  name: 'ledgers',
  version: 1,
  handles: ['LedgerOpened', 'UnitsAdded', 'UnitRetired'],
  tables: ['ledgers_v1', 'ledger_units_v1'],
  schema: [
    `CREATE TABLE IF NOT EXISTS ledgers_v1 (
      ledger_id TEXT PRIMARY KEY,
      programme_id TEXT NOT NULL,
      programme_version INTEGER NOT NULL,
      name TEXT NOT NULL,
      opened_position INTEGER NOT NULL,
      opened_at TEXT NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS ledger_units_v1 (
      ledger_id TEXT NOT NULL,
      unit_id TEXT NOT NULL,
      name TEXT NOT NULL,
      role TEXT NOT NULL,
      parent TEXT,
      added_position INTEGER NOT NULL,
      added_at TEXT NOT NULL,
      retired_position INTEGER,
      retired_at TEXT,
      retired_reason TEXT,
      PRIMARY KEY (ledger_id, unit_id)
    )`,
  ],
  apply(event, tables) {
    const data = event.data as {
      ledgerId: string;
      programmeId?: string;
      programmeVersion?: number;
      name?: string;
      units?: { id: string; name: string; role: string; parent: string | null }[];
      unitId?: string;
      reason?: string;
    };
    if (event.type === 'LedgerOpened') {
      tables.run(
        'INSERT INTO ledgers_v1 (ledger_id, programme_id, programme_version, name, opened_position, opened_at) VALUES (?, ?, ?, ?, ?, ?)',
        data.ledgerId,
        data.programmeId,
        data.programmeVersion,
        data.name,
        event.position,
        event.recordedAt,
      );
    }
    for (const unit of data.units ?? []) {
      tables.run(
        'INSERT INTO ledger_units_v1 (ledger_id, unit_id, name, role, parent, added_position, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        data.ledgerId,
        unit.id,
        unit.name,
        unit.role,
        unit.parent,
        event.position,
        event.recordedAt,
      );
    }
    if (event.type === 'UnitRetired') {
      tables.run(
        'UPDATE ledger_units_v1 SET retired_position = ?, retired_at = ?, retired_reason = ? WHERE ledger_id = ? AND unit_id = ?',
        event.position,
        event.recordedAt,
        data.reason,
        data.ledgerId,
        data.unitId,
      );
    }
  },
};
