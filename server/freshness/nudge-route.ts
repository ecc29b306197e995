import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kysely } from 'kysely';
import type { MemberViewer } from '../auth/viewer.js';
import type { Database } from '../db/database.js';
import type { EmailLinks, NudgeAnswerScope } from '../email/links.js';
import { DomainError } from '../kernel/errors.js';

const PATH = /^\/nudges\/([A-Za-z0-9_.-]{1,300})$/;
/** A form with one field: anything longer is not ours. */
const MAX_BODY = 1_024;

export interface NudgeAnswers {
  confirmCurrent(viewer: MemberViewer, subjectType: 'problem' | 'solution', id: string): Promise<unknown>;
  archive(viewer: MemberViewer, subjectType: 'problem' | 'solution', id: string): Promise<unknown>;
}

/**
 * `/nudges/<signed token>`, the link in a freshness nudge email. GET shows the item and the
 * answers; only a POST changes anything ("still current" or "archive"), because link
 * scanners fetch every link in an email. As with one-click unsubscribe, the signature is the
 * authority and needs no session: it names one member and one item, and the change is made
 * as that member, through the same services, so it is refused if they are no longer an
 * editor or admin of the item's council. "Update" is the item's own edit page (sign-in).
 */
export function createNudgeRoute({ db, links, answers }: { db: Kysely<Database>; links: EmailLinks; answers: NudgeAnswers }) {
  async function viewerOf(scope: NudgeAnswerScope): Promise<MemberViewer | null> {
    const member = await db.selectFrom('members').select(['id', 'council_id', 'role', 'is_platform_admin'])
      .where('id', '=', scope.member).where('removed_at', 'is', null).executeTakeFirst();
    return member ? { kind: 'member', memberId: member.id, councilId: member.council_id, role: member.role, isPlatformAdmin: member.is_platform_admin, tokenId: '' } : null;
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const match = PATH.exec((req.url ?? '').split('?')[0]!);
    if (!match) return false;
    const scope = await links.verifyNudge(match[1]!);
    const viewer = scope && await viewerOf(scope);
    if (!scope || !viewer) return page(res, 404, 'This link is not valid', '<p>Use the link in your most recent email, or sign in to the hub.</p>');
    const table = scope.subjectType === 'problem' ? 'problems' : 'solutions';
    const item = await db.selectFrom(table).select(['title', 'council_id', 'status', 'out_of_date', 'nudged_at']).where('id', '=', scope.id).executeTakeFirst();
    if (!item || item.council_id !== viewer.councilId) return page(res, 404, 'This link is not valid', '<p>The item is not your council’s.</p>');
    const itemUrl = links.item(scope.subjectType, scope.id)!;
    if (req.method === 'POST') {
      const action = new URLSearchParams(await readBody(req)).get('action');
      if (action !== 'current' && action !== 'archive') return page(res, 400, 'Choose an answer', '<p>Go back and press one of the buttons.</p>');
      try {
        if (action === 'current') await answers.confirmCurrent(viewer, scope.subjectType, scope.id);
        else await answers.archive(viewer, scope.subjectType, scope.id);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return page(res, 409, 'That did not work', `<p>${escape(error.message)}</p>`);
      }
      return page(res, 200, action === 'current' ? 'Thank you: marked as still current' : 'Archived',
        `<p><a href="${escape(itemUrl)}">${escape(item.title)}</a> ${action === 'current' ? 'no longer shows “may be out of date”.' : 'has left listings and search.'}</p>`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return page(res, 405, 'Method not allowed', '');
    if (item.status === 'archived') return page(res, 200, 'Already archived', `<p><a href="${escape(itemUrl)}">${escape(item.title)}</a> was archived.</p>`);
    return page(res, 200, `Is “${escape(item.title)}” still current?`, [
      item.out_of_date ? '<p>It shows as “may be out of date” until someone answers.</p>' : '',
      '<form method="post"><input type="hidden" name="action" value="current"><button type="submit">Yes, it is still current</button></form>',
      `<p><a href="${escape(itemUrl)}/edit">No: update it</a> (sign-in)</p>`,
      '<form method="post"><input type="hidden" name="action" value="archive"><button type="submit">No longer relevant: archive it</button></form>',
    ].join(''));
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > MAX_BODY) return '';
  }
  return body;
}

function page(res: ServerResponse, status: number, title: string, body: string): true {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; form-action 'self'", 'x-content-type-options': 'nosniff',
  });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`);
  return true;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
