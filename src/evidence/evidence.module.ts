import { Global, Module } from '@nestjs/common';
import { LogEvidence } from './log-evidence';

/** The log's Merkle tree, signed checkpoints and proofs, for the HTTP edge, the reports and the CLI. */
@Global()
@Module({ providers: [LogEvidence], exports: [LogEvidence] })
export class EvidenceModule {}
