import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { LEDGER_CONFIG, type LedgerConfig } from '../config';
import type { WebContext } from './web-context';

/** What the upload middleware leaves on the request: the file (when one came within the limit) and why it did not. */
export interface UploadRequest extends Request {
  uploadProblem?: { kind: 'too-large'; limit: number } | { kind: 'malformed'; reason: string };
}

/**
 * Reads the browser's `multipart/form-data` upload (the file, field `file`, and the form's `_csrf`) before the
 * global guard runs: the guard checks the CSRF token in the body, and guards run before interceptors,
 * so multer's FileInterceptor would parse the body too late. The file stays in memory, at most
 * LEDGER_MAX_WORKBOOK_BYTES; a refusal is left for the page to show next to the file field.
 */
@Injectable()
export class UploadMiddleware implements NestMiddleware {
  private readonly limit: number;
  private readonly parse: ReturnType<ReturnType<typeof multer>['single']>;

  constructor(@Inject(LEDGER_CONFIG) config: LedgerConfig) {
    this.limit = config.bodyLimits.workbook;
    this.parse = multer({ storage: multer.memoryStorage(), limits: { fileSize: this.limit, files: 1, fields: 8, fieldSize: 4096 } }).single('file');
  }

  use(request: UploadRequest, response: Response, next: NextFunction): void {
    this.parse(request, response, (error?: unknown) => {
      if (error instanceof multer.MulterError) {
        request.uploadProblem = error.code === 'LIMIT_FILE_SIZE' ? { kind: 'too-large', limit: this.limit } : { kind: 'malformed', reason: error.message };
      } else if (error) {
        request.uploadProblem = { kind: 'malformed', reason: (error as Error).message };
      }
      next();
    });
  }
}

/** The uploaded file, or the reason there is none in the page's words (too large, malformed, none chosen). */
export function uploadedFile(request: UploadRequest, web: WebContext): { ok: true; name: string; bytes: Buffer } | { ok: false; reason: string } {
  const problem = request.uploadProblem;
  if (problem) return { ok: false, reason: problem.kind === 'too-large' ? web.t('workbook.tooLarge', { bytes: problem.limit }) : problem.reason };
  if (!request.file || request.file.size === 0) return { ok: false, reason: web.t('workbook.noFile') };
  return { ok: true, name: request.file.originalname, bytes: request.file.buffer };
}
