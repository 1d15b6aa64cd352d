import type { NestExpressApplication } from '@nestjs/platform-express';
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { duplicateKeyPath } from '../input/json';
import { problem } from '../i18n/problem';
import { t } from '../i18n/translate';
import { sendProblems } from './domain-error.filter';
import { DEFAULT_MAX_WORKBOOK_BYTES, type BodyLimits } from '../config';

/** The body limit of each kind of route: workbook uploads (`POST /api/ledgers/{id}/workbooks/{unit}`, the web's `POST /ledgers/{id}/units/{unit}/workbook`) and everything else. */
export type { BodyLimits };

// The API's upload, and the web page's (multipart/form-data, read by the web module's upload middleware).
const WORKBOOK_UPLOAD = /^\/(api\/ledgers\/[^/]+\/workbooks\/[^/]+|ledgers\/[^/]+\/units\/[^/]+\/workbook)\/?$/;

/** The limit of a request's route, with the variable that sets it. */
export function bodyLimitOf(request: Pick<Request, 'method' | 'path'>, limits: BodyLimits): { bytes: number; variable: string } {
  return request.method === 'POST' && WORKBOOK_UPLOAD.test(request.path)
    ? { bytes: limits.workbook, variable: 'LEDGER_MAX_WORKBOOK_BYTES' }
    : { bytes: limits.json, variable: 'LEDGER_MAX_BODY_BYTES' };
}

/** The 413 answer, naming the limit and what sets it. */
export function tooLarge(limit: { bytes: number; variable: string }, got?: number) {
  return {
    error: 'too-large',
    problems: [problem(undefined, got === undefined ? 'problem.bodyTooLarge' : 'problem.bodyOfTooLarge', { size: got ?? 0, limit: limit.bytes, variable: limit.variable })],
  };
}

/** Refuses a body whose declared Content-Length is over its route's limit before reading any of it, whatever its type. */
export function refuseDeclaredTooLarge(limits: BodyLimits) {
  return function refuseDeclaredTooLarge(request: Request, response: Response, next: NextFunction): void {
    const declared = Number(request.headers['content-length']);
    const limit = bodyLimitOf(request, limits);
    if (Number.isFinite(declared) && declared > limit.bytes) {
      response.setHeader('Connection', 'close');
      sendProblems(request, response, 413, tooLarge(limit, declared));
      return;
    }
    next();
  };
}

/** Answers the body parsers' own refusals in the API's shape: too large (a chunked body counted as it is read) and malformed JSON. */
export function bodyParserErrors(limits: BodyLimits) {
  return function bodyParserErrors(error: unknown, request: Request, response: Response, next: NextFunction): void {
    const type = (error as { type?: unknown } | null)?.type;
    if (type === 'entity.too.large') {
      // Only the JSON and form parsers count a body here, and they read at most the JSON limit on every route.
      response.setHeader('Connection', 'close');
      sendProblems(request, response, 413, tooLarge({ bytes: limits.json, variable: 'LEDGER_MAX_BODY_BYTES' }));
      return;
    }
    if (type === 'entity.parse.failed') {
      sendProblems(request, response, 400, { error: 'invalid', problems: [problem('body', 'problem.notJson', { detail: (error as Error).message })] });
      return;
    }
    if (type === 'entity.verify.failed') {
      const { field, key } = error as { field?: string; key: string };
      sendProblems(request, response, 400, { error: 'invalid', problems: [problem(field ?? 'body', key)] });
      return;
    }
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const field = type === 'charset.unsupported' ? 'Content-Type' : type === 'encoding.unsupported' || /header check|incorrect|zlib/i.test((error as Error).message) ? 'Content-Encoding' : 'body';
      const { charset, encoding } = error as { charset?: string; encoding?: string };
      const refused = type === 'charset.unsupported' && charset ? problem(field, 'problem.charsetUnsupported', { charset: charset.toUpperCase() })
        : type === 'encoding.unsupported' && encoding ? problem(field, 'problem.encodingUnsupported', { encoding })
        : problem(field, 'problem.bodyUnreadable', { detail: (error as Error).message });
      sendProblems(request, response, 400, { error: 'invalid', problems: [refused] });
      return;
    }
    next(error);
  };
}

/**
 * body-parser's verify hook of JSON bodies: a UTF-8 body (the default charset) must be UTF-8, or the
 * decoder would put U+FFFD in for the bad bytes; and no key may be repeated in an object, or
 * JSON.parse would keep the last one silently.
 */
function verifyJson(_request: IncomingMessage, _response: unknown, body: Buffer, encoding: string): void {
  if (/^utf-?8$/i.test(encoding) && !isUtf8(body)) {
    throw Object.assign(new Error(t('en', 'problem.notUtf8Json')), { type: 'entity.verify.failed', key: 'problem.notUtf8Json' });
  }
  const duplicate = duplicateKeyPath(body.toString(/^utf-?16le$/i.test(encoding) ? 'utf16le' : 'utf8'));
  if (duplicate !== null) throw Object.assign(new Error(t('en', 'problem.duplicateKey')), { type: 'entity.verify.failed', field: duplicate, key: 'problem.duplicateKey' });
}

/**
 * Installs the JSON and URL-encoded body parsers with a size limit, and answers a body over its
 * route's limit with 413 `{ error: 'too-large', problems: [{ reason }] }` (the reason names the limit and its variable). Call it after NestFactory.create and before
 * app.init()/listen(): Nest 11 registers its own parsers (100 kB, answering in its own shape) at
 * init unless parsers of the same names (jsonParser, urlencodedParser) are already installed,
 * which app.useBodyParser does here.
 */
export function configureBodyLimits(app: NestExpressApplication, given: BodyLimits | number): void {
  const limits = typeof given === 'number' ? { json: given, workbook: DEFAULT_MAX_WORKBOOK_BYTES } : given;
  const express = app.getHttpAdapter().getInstance() as { router?: { stack?: { handle?: { name?: string } }[] } };
  if (express.router?.stack?.some((layer) => layer.handle?.name === 'jsonParser')) {
    throw new Error('configureBodyLimits: the body parsers are already installed; call it before app.init() or app.listen()');
  }
  app.use(refuseDeclaredTooLarge(limits));
  app.useBodyParser('json', { limit: limits.json, verify: verifyJson });
  app.useBodyParser('urlencoded', { limit: limits.json, extended: true });
  app.use(bodyParserErrors(limits));
}
