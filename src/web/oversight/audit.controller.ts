import { Controller, Get, HttpCode, Inject, Post, Req, UseFilters } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type Database from 'better-sqlite3';
import { Roles } from '../../access/auth.guard';
import { assertMayActFor } from '../../access/grants';
import { verifyLog, type VerifyResult } from '../../evidence/verify-log';
import type { EventStore } from '../../event-sourcing/event-store.port';
import { EVENT_STORE } from '../../event-sourcing/tokens';
import { LogEvidence } from '../../evidence/log-evidence';
import { ProjectionRunner } from '../../read-models/projection-runner';
import { READ_MODEL_DB } from '../../read-models/tokens';
import { verifyReportFile, type ReportCheck } from '../../reports/verify-report';
import { html, type Html } from '../html';
import { busyStatus, csrfField, field, page } from '../layout';
import { uploadedFile, type UploadRequest } from '../upload.middleware';
import { Web, type WebContext } from '../web-context';
import { WebErrorFilter } from '../web-error.filter';

/**
 * The auditor's checks, with the product's own code (not a shell-out): verify the whole log (hash
 * chains, revisions, order) and show its digest; check a report file against the log (its digest
 * recorded by a ReportGenerated event, the log unaltered up to it, the same bytes regenerated).
 */
@ApiExcludeController()
@Controller('audit')
@UseFilters(WebErrorFilter)
@Roles('auditor', 'regulator', 'admin')
export class AuditController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DB) private readonly db: Database.Database,
    private readonly runner: ProjectionRunner,
    private readonly queries: QueryBus,
    private readonly evidence: LogEvidence,
  ) {}

  @Get()
  show(@Web() web: WebContext): string {
    return this.auditPage(web, {});
  }

  /** A GET: verifying reads the log and changes nothing. */
  @Get('verify')
  async verify(@Web() web: WebContext): Promise<string> {
    const started = Date.now();
    const result = await verifyLog(this.store.readAll());
    return this.auditPage(web, { verified: { result, ms: Date.now() - started } });
  }

  @Post('report')
  @HttpCode(200)
  async checkReport(@Web() web: WebContext, @Req() request: UploadRequest): Promise<string> {
    const upload = uploadedFile(request, web);
    if (!upload.ok) return this.auditPage(web, { fileProblem: upload.reason });
    await this.runner.catchUp();
    const check = await verifyReportFile(upload.bytes, this.db, this.store, this.queries, this.evidence.verifier());
    // A report of a ledger the caller may not read is not described to it.
    if (check.ok) assertMayActFor(web.principal!, { action: 'read', ledgerId: check.pin.ledgerId });
    return this.auditPage(web, { checked: { name: upload.name, check } });
  }

  private auditPage(web: WebContext, shown: { verified?: { result: VerifyResult; ms: number }; checked?: { name: string; check: ReportCheck }; fileProblem?: string }): string {
    const problems = shown.fileProblem ? { byField: new Map([['file', [shown.fileProblem]]]), general: [] } : undefined;
    const body = html`<section aria-labelledby="verify-title">
<h2 id="verify-title">${web.t('oversight.audit.verifyTitle')}</h2>
<p>${web.t('oversight.audit.verifyHelp')}</p>
<form method="get" action="/audit/verify" data-busy>
  <button type="submit">${web.t('oversight.audit.verify')}</button> ${busyStatus(web)}
</form>
${shown.verified ? verifiedNotice(web, shown.verified.result, shown.verified.ms) : ''}
</section>
<section aria-labelledby="report-title">
<h2 id="report-title">${web.t('oversight.audit.reportTitle')}</h2>
<p>${web.t('oversight.audit.reportHelp')}</p>
<form class="stack" method="post" action="/audit/report" enctype="multipart/form-data" data-busy>${csrfField(web)}
  ${field('file', web.t('oversight.audit.file'), (a) => html`<input ${a} type="file" required accept=".xlsx,.pdf">`, problems)}
  <div><button type="submit">${web.t('oversight.audit.check')}</button> ${busyStatus(web)}</div>
</form>
${shown.checked ? checkedNotice(web, shown.checked.name, shown.checked.check) : ''}
</section>`;
    return page(web, web.t('nav.audit'), body);
  }
}

function verifiedNotice(web: WebContext, result: VerifyResult, ms: number): Html {
  if (result.ok) {
    return html`<div class="notice ok" role="status" id="verify-result"><p><strong>${web.t('oversight.audit.intact')}</strong> ${web.t('oversight.audit.intactDetail', { events: result.events, streams: result.streams, position: result.lastPosition, seconds: (ms / 1000).toFixed(1) })}</p>
<p>${web.t('oversight.audit.logDigest')}: <code class="digest">sha256:${result.logDigest}</code></p></div>`;
  }
  const { event, reason } = result.failure;
  return html`<div class="notice bad" role="alert" id="verify-result"><p><strong>${web.t('oversight.audit.broken')}</strong></p>
<p>${web.t('oversight.audit.brokenDetail', { id: event.id, stream: event.stream, revision: event.revision, position: event.position })}</p><p>${reason}</p></div>`;
}

function checkedNotice(web: WebContext, name: string, check: ReportCheck): Html {
  if (!check.ok) return html`<div class="notice bad" role="alert" id="report-result"><p><strong>${web.t('oversight.audit.reportBad', { name })}</strong></p><p>${check.reason}</p></div>`;
  const pin = check.pin;
  return html`<div class="notice ok" role="status" id="report-result"><p><strong>${web.t('oversight.audit.reportOk', { name })}</strong></p>
<ul><li>${web.t('oversight.audit.reportWhat', { report: pin.reportId, period: pin.period, ledger: pin.ledgerId })}</li>
<li>${pin.tree ? web.t('oversight.audit.reportPinnedTree', { asOf: pin.asOf, size: pin.tree.size, root: pin.tree.root }) : web.t('oversight.audit.reportPinned', { asOf: pin.asOf, position: pin.position ?? '' })}</li>
<li>${web.t('oversight.audit.logDigest')}: <code class="digest">sha256:${pin.logDigest}</code></li>
<li>${check.format}: <code class="digest">sha256:${check.sha256}</code></li>
<li>${check.recorded ? web.t('oversight.audit.recorded', { at: check.recorded.recorded_at }) : web.t('oversight.audit.notRecorded')}</li></ul></div>`;
}
