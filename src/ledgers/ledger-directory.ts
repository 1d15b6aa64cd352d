import { Inject, Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import type { ProgrammeVersionRow } from '../../projections/programmes.projection';
import { asOfCondition, type AsOf } from '../audit/as-of';
import { DomainError } from '../event-sourcing/domain-error';
import { problem } from '../i18n/problem';
import type { ProgrammeTemplate } from '../programmes/template';
import { ProjectionRunner } from '../read-models/projection-runner';
import { READ_MODEL_DB } from '../read-models/tokens';

export interface LedgerUnit {
  id: string;
  name: string;
  role: string;
  parent: string | null;
  retired: boolean;
}

export interface LedgerDefinition {
  ledgerId: string;
  name: string;
  programme: ProgrammeTemplate;
  programmeVersion: number;
  units: Map<string, LedgerUnit>;
}

/**
 * What a ledger is at a moment: its units and the version of its programme in force then. Read
 * from the read models, with parsed templates cached per version and each ledger as it is now
 * cached until the ledgers' or programmes' read models change (ProjectionRunner.changeStamp). A
 * ledger missing from the read models is looked for again after catching up, so one opened by
 * another process a moment ago is found.
 */
@Injectable()
export class LedgerDirectory {
  private readonly templates = new Map<string, ProgrammeTemplate>();
  /** Ledgers as they are now, with the stamp of the read models they were read from. */
  private readonly current = new Map<string, { definition: LedgerDefinition; stamp: string }>();

  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly runner: ProjectionRunner,
  ) {}

  async get(ledgerId: string, asOf: AsOf = { kind: 'now' }): Promise<LedgerDefinition> {
    if (asOf.kind === 'now') return this.now(ledgerId);
    const found = this.read(ledgerId, asOf);
    if (!found) throw new DomainError('not-found', [problem('ledger', 'problem.unknownLedgerThen', { id: ledgerId })]);
    return found;
  }

  /** The ledger now, read again only once the ledgers' or programmes' read models have changed. */
  private async now(ledgerId: string): Promise<LedgerDefinition> {
    const stamp = `${this.runner.changeStamp('ledgers')}/${this.runner.changeStamp('programmes')}`;
    const cached = this.current.get(ledgerId);
    if (cached?.stamp === stamp) return cached.definition;
    const found = this.read(ledgerId, { kind: 'now' }) ?? (await this.runner.catchUp(), this.read(ledgerId, { kind: 'now' }));
    if (!found) throw new DomainError('not-found', [problem('ledger', 'problem.unknownLedger', { id: ledgerId })]);
    // The stamp read before the read: a change made meanwhile makes the next call read again.
    this.current.set(ledgerId, { definition: found, stamp });
    return found;
  }

  /** The latest version of a programme (looked for again after catching up when missing). */
  async programme(programmeId: string): Promise<{ template: ProgrammeTemplate; version: number }> {
    const read = () =>
      this.db.prepare('SELECT programme_id, version, template FROM programme_versions_v1 WHERE programme_id = ? ORDER BY version DESC LIMIT 1').get(programmeId) as
        | Pick<ProgrammeVersionRow, 'programme_id' | 'version' | 'template'>
        | undefined;
    const row = read() ?? (await this.runner.catchUp(), read());
    if (!row) throw new DomainError('not-found', [problem('programme', 'problem.programmeNotImported', { id: programmeId })]);
    return { template: this.template(row), version: row.version };
  }

  /**
   * Refuses a client-chosen event id already given to an event of another stream. EventStoreDB
   * would accept it (ids are unique per stream there), but the read models key facts by event id.
   */
  async assertIdFree(eventId: string, stream: string, field = 'id', caughtUp = false): Promise<void> {
    if (!caughtUp) await this.runner.catchUp();
    const owner = this.db.prepare('SELECT stream FROM history_v1 WHERE event_id = ? LIMIT 1').get(eventId) as { stream: string } | undefined;
    if (owner && owner.stream !== stream) throw new DomainError('conflict', [problem(field, 'problem.eventIdTaken', { id: eventId, stream: owner.stream })]);
  }

  private read(ledgerId: string, asOf: AsOf): LedgerDefinition | null {
    const opened = asOfCondition(asOf, 'opened_position', 'opened_at');
    const ledger = this.db
      .prepare(`SELECT ledger_id, programme_id, name FROM ledgers_v1 WHERE ledger_id = ? AND ${opened.sql}`)
      .get(ledgerId, ...opened.params) as { ledger_id: string; programme_id: string; name: string } | undefined;
    if (!ledger) return null;
    const version = asOfCondition(asOf, 'position', 'recorded_at');
    const programme = this.db
      .prepare(`SELECT programme_id, version, template FROM programme_versions_v1 WHERE programme_id = ? AND ${version.sql} ORDER BY version DESC LIMIT 1`)
      .get(ledger.programme_id, ...version.params) as Pick<ProgrammeVersionRow, 'programme_id' | 'version' | 'template'> | undefined;
    if (!programme) return null;
    const added = asOfCondition(asOf, 'added_position', 'added_at');
    const retired = asOfCondition(asOf, 'retired_position', 'retired_at');
    const rows = this.db
      .prepare(
        `SELECT unit_id, name, role, parent, (retired_position IS NOT NULL AND ${retired.sql}) AS retired
         FROM ledger_units_v1 WHERE ledger_id = ? AND ${added.sql} ORDER BY unit_id`,
      )
      .all(...retired.params, ledgerId, ...added.params) as { unit_id: string; name: string; role: string; parent: string | null; retired: number }[];
    return {
      ledgerId,
      name: ledger.name,
      programme: this.template(programme),
      programmeVersion: programme.version,
      units: new Map(rows.map((r) => [r.unit_id, { id: r.unit_id, name: r.name, role: r.role, parent: r.parent, retired: r.retired === 1 }])),
    };
  }

  private template(row: Pick<ProgrammeVersionRow, 'programme_id' | 'version' | 'template'>): ProgrammeTemplate {
    const key = `${row.programme_id}@${row.version}`;
    let template = this.templates.get(key);
    if (!template) this.templates.set(key, (template = JSON.parse(row.template) as ProgrammeTemplate));
    return template;
  }
}
