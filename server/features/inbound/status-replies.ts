// Later replies: when staff change a report's status, the people who sent it by SMS or
// messenger hear about it in a line ("Report 12 is now resolved <link>"). Only the steps a
// sender can do something with are told; `new` and a reopening are not news to them.
import type { Status } from '../reports/reports.schemas';
import { replyTexts } from './inbound.texts';
import type { Replies } from './replies';

/** The statuses worth a message; `rejected` says "not taken up". */
export const TOLD_STATUSES: ReadonlySet<Status> = new Set<Status>([
  'verified',
  'assigned',
  'in_progress',
  'resolved',
  'duplicate',
  'rejected',
]);

/**
 * The triage hook (TriageDeps.onStatusChange): sends in the background, never failing the
 * change. `reportUrl` is the public page (PUBLIC_URL; without it, links cannot be made outside
 * a request, and the text goes without one).
 */
export function statusReplies(replies: Replies, reportUrl: (reportId: number) => string | undefined) {
  return (reportId: number, status: Status): void => {
    if (!TOLD_STATUSES.has(status)) return;
    const url = reportUrl(reportId) ?? '';
    replies.notifyReport(reportId, (language) => replyTexts.status(language, reportId, status, url).trimEnd());
  };
}
