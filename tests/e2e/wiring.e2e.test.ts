import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import request from 'supertest';
import { PROJECTIONS } from '../../projections';
import type { CliCommand } from '../../src/cli/command';
import { COMMANDS } from '../../src/cli/commands';
import { runCli } from '../../src/cli/run-cli';
import type { Projection } from '../../projections/projection';
import { ProjectionRunner } from '../../src/read-models/projection-runner';
import { bootTestApp, type TestApp } from '../support/boot-test-app';

/**
 * The production wiring against the code that exists: every controller class, CLI command and
 * projection found in the source files must be registered by the application as it boots, and what
 * it registers must be what the OpenAPI description and `--help` tell. A controller left out of its
 * module, a command left out of COMMANDS or a projection left out of PROJECTIONS fails here.
 */
const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string, suffix: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && suffix.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Every exported value of every matching source file, with the file it came from. */
function exportsOf(dir: string, suffix: RegExp): { file: string; value: unknown }[] {
  return sourceFiles(dir, suffix).flatMap((file) =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Object.values(require(file) as Record<string, unknown>).map((value) => ({ file: relative(ROOT, file), value })),
  );
}

const isController = (value: unknown): value is Type => typeof value === 'function' && Reflect.getMetadata(PATH_METADATA, value) !== undefined && Reflect.hasMetadata('__controller__', value);
const isCommand = (value: unknown): value is CliCommand => typeof value === 'object' && value !== null && typeof (value as CliCommand).name === 'string' && typeof (value as CliCommand).run === 'function';
const isProjection = (value: unknown): value is Projection => typeof value === 'object' && value !== null && typeof (value as Projection).apply === 'function' && Array.isArray((value as Projection).schema);

/** `GET /api/ledgers/:ledgerId` for each handler of a controller class, as Nest maps it. */
function routesOf(controller: Type): string[] {
  const base = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[]].flat();
  return Object.getOwnPropertyNames(controller.prototype).flatMap((name) => {
    const handler = controller.prototype[name] as object;
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    if (name === 'constructor' || method === undefined) return [];
    const paths = [Reflect.getMetadata(PATH_METADATA, handler) as string | string[]].flat();
    return base.flatMap((b) => paths.map((p) => `${RequestMethod[method]} ${`/${b}/${p}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1')}`));
  });
}

/** The routes the running Express application answers (Nest's and nothing else: no middleware). */
function servedRoutes(testApp: TestApp): Set<string> {
  const express = testApp.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
  return new Set(
    express.router.stack.flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${layer.route!.path}`) : [])),
  );
}

describe('the production wiring', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await bootTestApp({ liveProjections: false });
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('registers every controller class of src/ in some module of the application, and serves each of its routes', () => {
    const found = exportsOf(join(ROOT, 'src'), /\.controller\.ts$/).filter(({ value }) => isController(value));
    expect(found.length).toBeGreaterThan(10);
    const registered = new Set([...testApp.app.get(ModulesContainer).values()].flatMap((module) => [...module.controllers.values()].map((wrapper) => wrapper.metatype)));
    expect(found.filter(({ value }) => !registered.has(value as Type)).map(({ file, value }) => `${file}: ${(value as Type).name}`)).toEqual([]);
    const served = servedRoutes(testApp);
    const declared = found.flatMap(({ value }) => routesOf(value as Type));
    expect(declared.filter((route) => !served.has(route))).toEqual([]);
  });

  it('describes in OpenAPI exactly the routes it serves under /api, and /health', async () => {
    const document = (await request(testApp.app.getHttpServer()).get('/api/docs/json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const described = Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`))
      .sort();
    const served = [...servedRoutes(testApp)].filter((route) => / \/(api\/|health$)/.test(route) && !route.includes('/api/docs')).sort();
    expect(served.length).toBeGreaterThan(20);
    expect(described).toEqual(served);
  });

  it('has every CLI command of src/cli/commands in COMMANDS, and --help lists each of them', async () => {
    // A file may export a command both alone and in its list: each command once.
    const found = [
      ...new Map(
        exportsOf(join(ROOT, 'src/cli/commands'), /\.ts$/).flatMap(({ file, value }) => (Array.isArray(value) ? value : [value]).filter(isCommand).map((command) => [command, { file, command }] as const)),
      ).values(),
    ];
    expect(found.length).toBeGreaterThan(20);
    expect(found.filter(({ command }) => !COMMANDS.includes(command)).map(({ file, command }) => `${file}: ${command.name}`)).toEqual([]);
    const lines: string[] = [];
    expect(await runCli(['--help'], { out: (line) => lines.push(line), err: (line) => lines.push(line) })).toBe(0);
    const listed = lines
      .join('\n')
      .split('\n')
      .filter((line) => line.startsWith('  '))
      .map((line) => line.trim());
    expect(COMMANDS.filter((command) => !listed.some((line) => line.startsWith(`${command.name} `) || line === command.name)).map((c) => c.name)).toEqual([]);
    expect(listed).toHaveLength(COMMANDS.length);
  });

  it('feeds every projection of projections/ from the running application', () => {
    const found = exportsOf(join(ROOT, 'projections'), /\.projection\.ts$/).filter(({ value }) => isProjection(value));
    expect(found.length).toBeGreaterThan(5);
    expect(found.filter(({ value }) => !PROJECTIONS.includes(value as Projection)).map(({ file, value }) => `${file}: ${(value as Projection).name}`)).toEqual([]);
    const running = testApp.app
      .get(ProjectionRunner)
      .status()
      .map((p) => p.name)
      .sort();
    expect(running).toEqual(found.map(({ value }) => (value as Projection).name).sort());
  });
});
