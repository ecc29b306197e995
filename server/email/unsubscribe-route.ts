import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { EmailLinks, UnsubscribeScope } from './links.js';

const PATH = /^\/email\/unsubscribe\/([A-Za-z0-9_.-]{1,200})$/;

/**
 * `/email/unsubscribe/<signed token>`, the link in every email's List-Unsubscribe header.
 * POST (RFC 8058 one-click, sent by mail clients, or the button on the page) turns the email
 * off at once, without sign-in: the signature is the authority. GET only shows the button,
 * because link scanners fetch every link in an email and must not unsubscribe anyone.
 */
export function createUnsubscribeRoute({ db, links }: { db: Kysely<Database>; links: EmailLinks }) {
  async function apply(scope: UnsubscribeScope): Promise<void> {
    if ('member' in scope) {
      await db.insertInto('member_email_settings').values({ member_id: scope.member, email: 'off' })
        .onConflict((oc) => oc.column('member_id').doUpdateSet({ email: 'off', updated_at: new Date() }))
        .execute().catch(() => {}); // a member removed since: nothing to turn off
    } else {
      await db.updateTable('follows').set({ email: 'off' }).where('id', '=', scope.follow).execute();
    }
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const match = PATH.exec((req.url ?? '').split('?')[0]!);
    if (!match) return false;
    const scope = await links.verify(match[1]!);
    if (!scope) return page(res, 404, 'This unsubscribe link is not valid', '<p>Use the link in your most recent email, or change your email settings in the hub.</p>');
    if (req.method === 'POST') {
      req.resume();
      await apply(scope);
      return page(res, 200, 'You are unsubscribed', `<p>${'member' in scope ? 'You will get no more email from Council Commons.' : 'You will get no more email about this follow.'} Your inbox still fills.</p>`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return page(res, 405, 'Method not allowed', '');
    return page(res, 200, 'Unsubscribe', `<form method="post"><button type="submit">${'member' in scope ? 'Stop all email from Council Commons' : 'Stop email about this follow'}</button></form>`);
  };
}

function page(res: ServerResponse, status: number, title: string, body: string): true {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; form-action 'self'", 'x-content-type-options': 'nosniff',
  });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`);
  return true;
}
