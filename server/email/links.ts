import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { itemUrl } from '../public-url.js';

/** What an unsubscribe link turns off: all of a member's email, or one follow's. */
export type UnsubscribeScope = { readonly member: string } | { readonly follow: string };

/** Who may answer a freshness nudge through its link, and about what. */
export interface NudgeAnswerScope {
  readonly member: string;
  readonly subjectType: 'problem' | 'solution';
  readonly id: string;
}

/**
 * Links in emails: to items, and signed unsubscribe links that work without sign-in. The
 * key is EMAIL_SIGNING_KEY, or else one the hub makes once and keeps in `hub_secrets`, so
 * every server and worker process signs and checks alike.
 */
export function createEmailLinks({ db, publicUrl, signingKey }: { db: Kysely<Database>; publicUrl: string; signingKey: string | undefined }) {
  let key: Promise<Buffer> | undefined;
  const keyOnce = () => key ??= (async () => {
    if (signingKey) return Buffer.from(signingKey, 'utf8');
    await db.insertInto('hub_secrets').values({ name: 'email_signing_key', value: randomBytes(32).toString('base64') })
      .onConflict((oc) => oc.column('name').doNothing()).execute();
    const row = await db.selectFrom('hub_secrets').select('value').where('name', '=', 'email_signing_key').executeTakeFirstOrThrow();
    return Buffer.from(row.value, 'base64');
  })().catch((error) => { key = undefined; throw error; });

  const mac = (k: Buffer, scope: string, purpose = 'unsubscribe') => createHmac('sha256', k).update(`${purpose}:${scope}`).digest().subarray(0, 20);
  const sign = async (text: string, purpose: string) => `${Buffer.from(text).toString('base64url')}.${mac(await keyOnce(), text, purpose).toString('base64url')}`;
  const check = async (token: string, purpose: string): Promise<string | null> => {
    const [body, signature] = token.split('.');
    if (!body || !signature || token.length > 300) return null;
    const text = Buffer.from(body, 'base64url').toString('utf8');
    const expected = mac(await keyOnce(), text, purpose);
    const given = Buffer.from(signature, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected) ? text : null;
  };

  return {
    /** The page of a problem, solution or case study. */
    item: (subjectType: string, id: string): string | null => itemUrl(publicUrl, subjectType, id),

    async unsubscribe(scope: UnsubscribeScope): Promise<string> {
      const text = 'member' in scope ? `m:${scope.member}` : `f:${scope.follow}`;
      const token = `${Buffer.from(text).toString('base64url')}.${mac(await keyOnce(), text).toString('base64url')}`;
      return `${publicUrl}/email/unsubscribe/${token}`;
    },

    /**
     * The page where the member a freshness nudge went to answers it without signing in: the
     * token names the member and the item, so it acts for that member on that item alone.
     */
    async nudge(answer: NudgeAnswerScope): Promise<string> {
      return `${publicUrl}/nudges/${await sign(`${answer.member}:${answer.subjectType}:${answer.id}`, 'nudge')}`;
    },

    /** The member and item a nudge token names, or null when it was not signed by this hub. */
    async verifyNudge(token: string): Promise<NudgeAnswerScope | null> {
      const text = await check(token, 'nudge');
      const [member, subjectType, id] = text?.split(':') ?? [];
      return member && id && (subjectType === 'problem' || subjectType === 'solution') ? { member, subjectType, id } : null;
    },

    /** The scope a token names, or null when it was not signed by this hub. */
    async verify(token: string): Promise<UnsubscribeScope | null> {
      const [body, signature] = token.split('.');
      if (!body || !signature || token.length > 200) return null;
      const text = Buffer.from(body, 'base64url').toString('utf8');
      const expected = mac(await keyOnce(), text);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      const [kind, id] = [text.slice(0, 2), text.slice(2)];
      return kind === 'm:' ? { member: id } : kind === 'f:' ? { follow: id } : null;
    },
  };
}

export type EmailLinks = ReturnType<typeof createEmailLinks>;
