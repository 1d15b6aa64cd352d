import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { maxBodyBytesFromEnv } from '../access/body-limits';

/** The one file a page's form sent (multipart/form-data, whatever its field's name), or why it could not be read. */
export type UploadedRequest = Request & { files?: { fieldname: string; originalname: string; buffer: Buffer; size: number }[]; uploadError?: string };

/**
 * Reads multipart forms of the web pages into `request.body` (their text fields, `_csrf` among
 * them) and `request.files` (one at most), in memory, before the guard runs: the guard finds a form's CSRF token
 * in the body, and a Nest interceptor would parse too late. A file over the body limit is not
 * an error page but `request.uploadError`, shown next to the field. Other bodies pass untouched.
 */
export function webUploads(maxBytes = maxBodyBytesFromEnv()) {
  const single = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 20 } }).any();
  return function webUploads(request: Request, response: Response, next: NextFunction): void {
    if (!request.is('multipart/form-data')) return next();
    single(request, response, (error: unknown) => {
      if (error) (request as UploadedRequest).uploadError = error instanceof Error ? error.message : String(error);
      next();
    });
  };
}

/** The uploaded file's bytes, or the reason there are none (in the person's words via the key given). */
export function uploadedFile(request: UploadedRequest): { ok: true; name: string; bytes: Buffer } | { ok: false; reason: string | null } {
  if (request.uploadError) return { ok: false, reason: request.uploadError };
  const file = request.files?.[0];
  if (!file || file.size === 0) return { ok: false, reason: null };
  return { ok: true, name: file.originalname, bytes: file.buffer };
}
