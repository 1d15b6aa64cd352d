import { Controller, Get, Header, Param, Query as QueryParam } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../access/auth.guard';
import { wholeNumber } from '../http/query-params';
import { LogEvidence, type ConsistencyProofJson, type InclusionProofJson } from './log-evidence';

/** The log's checkpoint and proofs over HTTP: for the readers who audit the whole log (regulators, auditors, administrators). */
@ApiTags('evidence')
@Controller('api')
export class EvidenceController {
  constructor(private readonly evidence: LogEvidence) {}

  @Get('checkpoint')
  @Roles('regulator', 'auditor', 'admin')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The latest checkpoint: a C2SP tlog-checkpoint signed-note (origin, tree size, base64 root, Ed25519 signature line).' })
  async checkpoint(): Promise<string> {
    return (await this.evidence.checkpoint()).note;
  }

  @Get('proofs/inclusion/:eventId')
  @Roles('regulator', 'auditor', 'admin')
  @ApiQuery({ name: 'size', required: false, description: 'tree size; default the whole log' })
  @ApiOkResponse({ description: '{"index","size","leaf","path"}: the event\'s leaf hash and the RFC 9162 inclusion path (base64).' })
  @ApiNotFoundResponse({ description: 'No event with that id.' })
  inclusion(@Param('eventId') eventId: string, @QueryParam('size') size?: string): Promise<InclusionProofJson> {
    return this.evidence.inclusion(eventId, optionalSize(size, 'size'));
  }

  @Get('proofs/consistency')
  @Roles('regulator', 'auditor', 'admin')
  @ApiQuery({ name: 'from', required: true, description: 'the older tree size' })
  @ApiQuery({ name: 'size', required: false, description: 'the newer tree size; default the whole log' })
  @ApiOkResponse({ description: '{"from","size","path"}: the RFC 9162 consistency proof (base64).' })
  consistency(@QueryParam('from') from?: string, @QueryParam('size') size?: string): Promise<ConsistencyProofJson> {
    return this.evidence.consistency(wholeNumber(from, 'from', 0, Number.MAX_SAFE_INTEGER), optionalSize(size, 'size'));
  }
}

function optionalSize(value: unknown, field: string): number | undefined {
  return value === undefined ? undefined : wholeNumber(value, field, 0, Number.MAX_SAFE_INTEGER);
}
