import type { NestExpressApplication } from '@nestjs/platform-express';
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { DEFAULT_MAX_BODY_BYTES, wholeNumberFromEnv } from './access-options';

/** LEDGER_MAX_BODY_BYTES (default 1 MiB): the largest request body the API reads. */
export function maxBodyBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return wholeNumberFromEnv(env, 'LEDGER_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES, 1);
}

const tooLarge = (maxBytes: number, got?: number) => ({
  error: 'too-large',
  problems: [{ reason: `the request body${got === undefined ? '' : ` of ${got} bytes`} exceeds the limit of ${maxBytes} bytes (LEDGER_MAX_BODY_BYTES)` }],
});

/** Refuses a body whose declared Content-Length is over the limit before reading any of it, whatever its type. */
export function refuseDeclaredTooLarge(maxBytes: number) {
  return function refuseDeclaredTooLarge(request: Request, response: Response, next: NextFunction): void {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      response.setHeader('Connection', 'close');
      response.status(413).json(tooLarge(maxBytes, declared));
      return;
    }
    next();
  };
}

/** Answers the body parsers' own refusals in the API's shape: too large (a chunked body counted as it is read) and malformed JSON. */
export function bodyParserErrors(maxBytes: number) {
  return function bodyParserErrors(error: unknown, _request: Request, response: Response, next: NextFunction): void {
    const type = (error as { type?: unknown } | null)?.type;
    if (type === 'entity.too.large') {
      response.setHeader('Connection', 'close');
      response.status(413).json(tooLarge(maxBytes));
      return;
    }
    if (type === 'entity.parse.failed') {
      response.status(400).json({ error: 'invalid', problems: [{ field: 'body', reason: `not valid JSON: ${(error as Error).message}` }] });
      return;
    }
    if (type === 'entity.verify.failed') {
      response.status(400).json({ error: 'invalid', problems: [{ field: 'body', reason: (error as Error).message }] });
      return;
    }
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const field = type === 'charset.unsupported' ? 'Content-Type' : type === 'encoding.unsupported' || /header check|incorrect|zlib/i.test((error as Error).message) ? 'Content-Encoding' : 'body';
      response.status(400).json({ error: 'invalid', problems: [{ field, reason: (error as Error).message }] });
      return;
    }
    next(error);
  };
}

/** body-parser's verify hook: a UTF-8 body (the default charset) must be UTF-8, or the decoder would put U+FFFD in for the bad bytes. */
function refuseNonUtf8(_request: IncomingMessage, _response: unknown, body: Buffer, encoding: string): void {
  if (/^utf-?8$/i.test(encoding) && !isUtf8(body)) {
    throw Object.assign(new Error('is not UTF-8 text: send JSON encoded as UTF-8'), { type: 'entity.verify.failed' });
  }
}

/**
 * Installs the JSON and URL-encoded body parsers with a size limit, and answers a body over it with
 * 413 `{ error: 'too-large', problems: [{ reason }] }`. Call it after NestFactory.create and before
 * app.init()/listen(): Nest 11 registers its own parsers (100 kB, answering in its own shape) at
 * init unless parsers of the same names (jsonParser, urlencodedParser) are already installed,
 * which app.useBodyParser does here.
 */
export function configureBodyLimits(app: NestExpressApplication, maxBytes: number = maxBodyBytesFromEnv()): void {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack?: { handle?: { name?: string } }[] } };
  if (express.router?.stack?.some((layer) => layer.handle?.name === 'jsonParser')) {
    throw new Error('configureBodyLimits: the body parsers are already installed; call it before app.init() or app.listen()');
  }
  app.use(refuseDeclaredTooLarge(maxBytes));
  app.useBodyParser('json', { limit: maxBytes, verify: refuseNonUtf8 });
  app.useBodyParser('urlencoded', { limit: maxBytes, extended: true });
  app.use(bodyParserErrors(maxBytes));
}
