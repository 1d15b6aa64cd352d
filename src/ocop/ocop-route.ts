import type { Decider, DomainEvent } from '../event-sourcing/decider';
import { registerRoute } from '../ledgers/submit/record-routes';
import { registerRecordType } from '../ledgers/submit/records';
import { ocopProductDecider, ocopStream, type OcopCommand } from './ocop-product.decider';
import { OCOP_RECORD_TYPES, productIdOf, type OcopRecord, type OcopRecordType } from './ocop-record-types';
import { OCOP_RECORD_DTOS } from './ocop-records';

/**
 * OCOP records go to the product's own stream in the ledger, decided by the product decider with
 * the programme in force, the submitting unit and today. Importing this file registers the record
 * types with the one parser (records.ts) and the route with the router (record-routes.ts).
 */
for (const type of OCOP_RECORD_TYPES) registerRecordType(type, OCOP_RECORD_DTOS[type as OcopRecordType]);

registerRoute({
  types: OCOP_RECORD_TYPES,
  stream: (record) => ocopStream(record.ledger, productIdOf(record as OcopRecord)),
  decider: ocopProductDecider as unknown as Decider<unknown, DomainEvent, unknown>,
  command: (record, ledger, { today }): OcopCommand => {
    const unit = ledger.units.get(record.unit)!;
    return { record: record as OcopRecord, setting: { programme: ledger.programme, unit: { id: unit.id, name: unit.name, role: unit.role }, today } };
  },
});
