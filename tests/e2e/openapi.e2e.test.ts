/** The OpenAPI description validates, declares the Idempotency-Key header once and an opaque bearer scheme. */
import type { INestApplication } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { bootTestApp } from '../support/boot-test-app';

type Operation = { parameters?: { name: string; in: string }[] };

describe('the OpenAPI description at /api/docs/json', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ledger-openapi-'));
  let app: INestApplication;
  let document: Record<string, unknown> & { paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, Record<string, unknown>> } };

  beforeAll(async () => {
    ({ app } = await bootTestApp({ directory, liveProjections: false }));
    document = (await request(app.getHttpServer()).get('/api/docs/json').expect(200)).body;
  });
  afterAll(async () => {
    await app?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('is a valid OpenAPI document (@apidevtools/swagger-parser)', () => {
    // The validator's dependencies are ES modules Jest's CommonJS runtime cannot load: it runs in Node itself.
    const script = `require('@apidevtools/swagger-parser').validate(JSON.parse(require('fs').readFileSync(0, 'utf8')))
      .then(() => console.log('valid'), (e) => { console.log(e.message); process.exitCode = 1; })`;
    expect(execFileSync(process.execPath, ['-e', script], { input: JSON.stringify(document), encoding: 'utf8' }).trim()).toBe('valid');
  });

  it('declares the Idempotency-Key header of a submission once', () => {
    const submit = document.paths['/api/ledgers/{ledgerId}/submissions'].post;
    const headers = (submit.parameters ?? []).filter((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
    expect(headers).toHaveLength(1);
  });

  it('names an opaque bearer scheme, not a JWT', () => {
    const schemes = Object.values(document.components.securitySchemes);
    expect(schemes).toEqual([expect.objectContaining({ type: 'http', scheme: 'bearer' })]);
    expect(schemes[0].bearerFormat).toBe('opaque token');
  });
});
