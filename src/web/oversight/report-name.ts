import type { WebContext } from '../web-context';

/** A report's name in the page's language (the catalogue's oversight.report.<id>), its id where the catalogue has none. */
export function reportName(web: Pick<WebContext, 't'>, reportId: string): string {
  const key = `oversight.report.${reportId}`;
  const name = web.t(key);
  return name === key ? reportId : name;
}
