import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kysely } from 'kysely';
import type { MemberViewer } from '../server/auth/viewer.js';
import type { Database } from '../server/db/database.js';
import type { EmailLinks } from '../server/email/links.js';
import { DomainError } from '../server/kernel/errors.js';
import { encodeGlobalId } from '../server/kernel/global-id.js';
import { html } from './html.js';
import { checkSameOrigin, FormError, readForm } from './forms.js';
import { nudgeOutcomePage, nudgeQuestionPage } from './pages/nudge-page.js';
import { PAGE_SECURITY_HEADERS } from './security-headers.js';
import { itemPath } from './vocabulary.js';
import { answersFor } from '../server/freshness/nudge-recipients.js';

const PATH = /^\/nudges\/([A-Za-z0-9_.-]{1,300})$/;
/** A form with one field: anything longer is not ours. */
const MAX_BODY = 1_024;

export interface NudgeAnswers {
  confirmCurrent(viewer: MemberViewer, subjectType: 'problem' | 'solution', id: string): Promise<unknown>;
  archive(viewer: MemberViewer, subjectType: 'problem' | 'solution', id: string): Promise<unknown>;
}

const INVALID = html`<p class="govuk-body">Use the link in your most recent email, or <a class="govuk-link" href="/sign-in">sign in</a> to the hub.</p>`;

/**
 * `/nudges/<signed token>`, the link in a freshness nudge email. GET shows the item and the
 * answers; only a POST changes anything ("still current" or "archive"), because link
 * scanners fetch every link in an email. As with one-click unsubscribe, the signature is the
 * authority and needs no session: it names one member and one item, and the change is made
 * as that member, through the same services and with the same events. The member must still
 * be the item's named contact or an editor or admin of its council (nudge-recipients.ts).
 * "Update" is the item's own edit page (sign-in).
 */
export function createNudgeRoute({ db, links, answers }: { db: Kysely<Database>; links: EmailLinks; answers: NudgeAnswers }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const match = PATH.exec((req.url ?? '').split('?')[0]!);
    if (!match) return false;
    const scope = await links.verifyNudge(match[1]!);
    const member = scope && await db.selectFrom('members as m').innerJoin('councils as c', 'c.id', 'm.council_id')
      .select(['m.id', 'm.council_id', 'm.role', 'm.is_platform_admin', 'c.name as council'])
      .where('m.id', '=', scope.member).where('m.removed_at', 'is', null).executeTakeFirst();
    if (!scope || !member) return send(res, 404, nudgeOutcomePage('This link is not valid', INVALID));
    const table = scope.subjectType === 'problem' ? 'problems' : 'solutions';
    const item = await db.selectFrom(table).select(['title', 'council_id', 'status', 'out_of_date']).where('id', '=', scope.id).executeTakeFirst();
    const standing = item && await answersFor(db, member.id, { id: scope.id, councilId: item.council_id });
    if (!item || !standing) return send(res, 404, nudgeOutcomePage('This link is not valid', html`<p class="govuk-body">You are no longer this item’s contact or an editor of its council.</p>${INVALID}`));
    const path = scope.subjectType === 'problem' ? itemPath('PROBLEM', encodeGlobalId('Problem', scope.id)) : itemPath('SOLUTION', encodeGlobalId('Solution', scope.id));
    const itemLink = html`<a class="govuk-link" href="${path}">${item.title}</a>`;
    const viewer: MemberViewer = {
      kind: 'member', memberId: member.id, councilId: member.council_id, isPlatformAdmin: member.is_platform_admin, tokenId: '',
      // The item's named contact answers for it whatever their role: their council named them
      // for this item, and the signed link confines the answer to it and to these two changes.
      role: standing === 'contact' && member.role === 'member' ? 'editor' : member.role,
    };
    if (req.method === 'POST') {
      let action: string | null;
      try {
        checkSameOrigin(req);
        action = (await readForm(req, MAX_BODY)).get('action');
      } catch (error) {
        if (!(error instanceof FormError)) throw error;
        return send(res, error.status, nudgeOutcomePage('That did not work', html`<p class="govuk-body">${error.message}.</p>`));
      }
      if (action !== 'current' && action !== 'archive') {
        return send(res, 400, nudgeOutcomePage('Choose an answer', html`<p class="govuk-body"><a class="govuk-link" href="${req.url ?? ''}">Go back</a> and press one of the buttons.</p>`));
      }
      try {
        if (action === 'current') await answers.confirmCurrent(viewer, scope.subjectType, scope.id);
        else await answers.archive(viewer, scope.subjectType, scope.id);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return send(res, 409, nudgeOutcomePage('That did not work', html`<p class="govuk-body">${error.message}</p>`));
      }
      return send(res, 200, action === 'current'
        ? nudgeOutcomePage('Thank you: marked as still current', html`<p class="govuk-body">${itemLink} no longer shows “may be out of date”.</p>`)
        : nudgeOutcomePage('Archived', html`<p class="govuk-body">${itemLink} has left listings and search.</p>`));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, nudgeOutcomePage('Method not allowed', html``));
    if (item.status === 'archived') return send(res, 200, nudgeOutcomePage('Already archived', html`<p class="govuk-body">${itemLink} was archived.</p>`));
    return send(res, 200, nudgeQuestionPage({
      title: item.title, path, kind: scope.subjectType, council: member.council, outOfDate: item.out_of_date,
      asContact: standing === 'contact', canEdit: member.role !== 'member',
    }), req.method === 'HEAD');
  };
}

function send(res: ServerResponse, status: number, body: string, head = false): true {
  res.writeHead(status, { ...PAGE_SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(head ? undefined : body);
  return true;
}
