import { Controller, Get, HttpCode, Inject, Param, Post, Query as QueryParam, Req, Res, StreamableFile } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiPayloadTooLargeResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import multer from 'multer';
import { assertMayActFor } from '../../access/grants';
import { CallerContext, Principal } from '../../access/principal.decorator';
import { Roles } from '../../access/auth.guard';
import { LEDGER_CONFIG, type LedgerConfig } from '../../config';
import { DomainError } from '../../event-sourcing/domain-error';
import type { RequestContext } from '../../event-sourcing/request-context';
import { DownloadWorkbookQuery, type DownloadedWorkbook } from './download-workbook.query';
import { XLSX_CONTENT_TYPE } from './render-workbook';
import { UploadWorkbookCommand } from './upload-workbook.command';
import { problem } from '../../i18n/problem';

const ACCEPTED_TYPES = [XLSX_CONTENT_TYPE, 'application/octet-stream'];
const MULTIPART = 'multipart/form-data';
/** The form field a browser's file upload sends the workbook in. */
export const WORKBOOK_FIELD = 'file';

/** The workbook from a browser's file upload (multipart/form-data, field `file`), in memory, at most `maxBytes`. */
async function readMultipartFile(request: Request, response: Response, maxBytes: number): Promise<Buffer> {
  const parse = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1 } }).single(WORKBOOK_FIELD);
  await new Promise<void>((resolve, reject) => parse(request, response, (error?: unknown) => (error ? reject(error) : resolve()))).catch((error: unknown) => {
    if (error instanceof multer.MulterError && error.code === 'LIMIT_FILE_SIZE') {
      throw new DomainError('too-large', [problem(undefined, 'problem.workbookTooLarge', { limit: maxBytes, variable: 'LEDGER_MAX_BODY_BYTES' })]);
    }
    if (error instanceof multer.MulterError) throw new DomainError('invalid', [problem(error.field ?? WORKBOOK_FIELD, 'problem.uploadRefused', { detail: error.message, field: WORKBOOK_FIELD })]);
    throw new DomainError('invalid', [problem('body', 'problem.multipartUnreadable', { detail: (error as Error).message })]);
  });
  const file = (request as Request & { file?: Express.Multer.File }).file;
  if (!file || file.size === 0) throw new DomainError('invalid', [problem(WORKBOOK_FIELD, 'problem.uploadMissing', { field: WORKBOOK_FIELD })]);
  return file.buffer;
}

/**
 * The request body as bytes, at most `maxBytes` (a declared Content-Length over the limit is
 * already refused by refuseDeclaredTooLarge; a chunked body is counted here as it is read).
 */
export async function readRawBody(request: Request, maxBytes: number): Promise<Buffer> {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (!ACCEPTED_TYPES.includes(type)) {
    throw new DomainError('invalid', [problem('Content-Type', 'problem.workbookContentType', { xlsx: XLSX_CONTENT_TYPE, multipart: MULTIPART, field: WORKBOOK_FIELD, type: type || 'none' })]);
  }
  if (Buffer.isBuffer(request.body)) return request.body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      request.resume();
      throw new DomainError('too-large', [problem(undefined, 'problem.bodyTooLarge', { limit: maxBytes, variable: 'LEDGER_MAX_WORKBOOK_BYTES' })]);
    }
    chunks.push(chunk);
  }
  if (size === 0) throw new DomainError('invalid', [problem('body', 'problem.workbookBodyEmpty', { type: XLSX_CONTENT_TYPE })]);
  return Buffer.concat(chunks);
}

@ApiTags('workbooks')
@Controller('api/ledgers/:ledgerId/workbooks')
export class WorkbookController {
  private readonly maxBodyBytes: number;

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(LEDGER_CONFIG) config: LedgerConfig,
  ) {
    this.maxBodyBytes = config.bodyLimits.workbook;
  }

  @Get(':unitId')
  @Roles('submitter', 'admin')
  @ApiQuery({ name: 'period', required: true, example: '2021-H1' })
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOkResponse({ description: 'The fill-in workbook (.xlsx) of the unit for the period: its tasks (status drop-down, date, note, evidence) and the programme’s metrics; header X-Workbook-Digest: sha256:<hex>.' })
  @ApiNotFoundResponse({ description: 'Unknown ledger or unit.' })
  async download(
    @Param('ledgerId') ledgerId: string,
    @Param('unitId') unitId: string,
    @Principal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
    @QueryParam('period') period?: string,
  ): Promise<StreamableFile> {
    assertMayActFor(principal, { action: 'submit', ledgerId, unitId });
    if (!period) throw new DomainError('invalid', [problem('period', 'problem.periodRequired')]);
    const workbook: DownloadedWorkbook = await this.queries.execute(new DownloadWorkbookQuery(ledgerId, unitId, period));
    response.setHeader('X-Workbook-Digest', `sha256:${createHash('sha256').update(workbook.bytes).digest('hex')}`);
    return new StreamableFile(workbook.bytes, { type: workbook.contentType, disposition: `attachment; filename="${workbook.fileName}"`, length: workbook.bytes.length });
  }

  @Post(':unitId')
  @HttpCode(201)
  @Roles('submitter', 'admin')
  @ApiConsumes(XLSX_CONTENT_TYPE, MULTIPART)
  @ApiBody({
    description: `The filled-in workbook, as downloaded from GET on this path: the raw body, or a browser's file upload (${MULTIPART}, field "${WORKBOOK_FIELD}").`,
    schema: { oneOf: [{ type: 'string', format: 'binary' }, { type: 'object', required: [WORKBOOK_FIELD], properties: { [WORKBOOK_FIELD]: { type: 'string', format: 'binary' } } }] },
  })
  @ApiQuery({ name: 'period', required: false, description: 'When given, a workbook for another period is refused.' })
  @ApiCreatedResponse({ description: 'Counts: filled rows read, events appended, rows already appended by an earlier upload (skipped), log position.' })
  @ApiBadRequestResponse({ description: 'Every problem named by sheet and cell (`field`: `指标!E7 value`, with `sheet` and `cell`); nothing appended.' })
  @ApiPayloadTooLargeResponse({ description: 'Body over LEDGER_MAX_WORKBOOK_BYTES (default 8 MiB).' })
  async upload(
    @Param('ledgerId') ledgerId: string,
    @Param('unitId') unitId: string,
    @Principal() principal: Principal,
    @CallerContext() context: RequestContext,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @QueryParam('period') period?: string,
  ) {
    assertMayActFor(principal, { action: 'submit', ledgerId, unitId });
    const multipart = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() === MULTIPART;
    const bytes = multipart ? await readMultipartFile(request, response, this.maxBodyBytes) : await readRawBody(request, this.maxBodyBytes);
    return this.commands.execute(new UploadWorkbookCommand(bytes, context, { ledgerId, unitId, period }));
  }
}
