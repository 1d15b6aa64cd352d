import { Global, Module } from '@nestjs/common';
import { CheckpointSchedule } from './checkpoint-schedule';
import { EvidenceController } from './evidence.controller';
import { LogEvidence } from './log-evidence';

/** The log's Merkle tree, signed checkpoints and proofs, for the HTTP edge, the reports and the CLI. */
@Global()
@Module({ controllers: [EvidenceController], providers: [LogEvidence, CheckpointSchedule], exports: [LogEvidence] })
export class EvidenceModule {}
