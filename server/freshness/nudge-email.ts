import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { EmailSendsTable } from '../db/notification-tables.js';
import type { EmailLinks } from '../email/links.js';
import type { OutgoingEmail } from '../email/mailer.js';

/**
 * The email a nudge's sent-log row owes its item's contact or admin: what the item is and
 * why it is asked about, and the answer page (signed link, no sign-in: "still current",
 * "update" or "archive"). Null once there is nothing to ask: the nudge was answered (any edit or
 * "still current"), the item was archived, or the member is no longer its named contact
 * or its council's admin (whichever they were asked as).
 */
export async function composeNudgeEmails(db: Kysely<Database>, links: EmailLinks, sends: readonly Selectable<EmailSendsTable>[]): Promise<Map<string, OutgoingEmail | null>> {
  const result = new Map<string, OutgoingEmail | null>(sends.map((row) => [row.key, null]));
  if (sends.length === 0) return result;
  const rows = await db.selectFrom('nudges as n')
    .innerJoin('members as m', 'm.council_id', 'n.council_id')
    .leftJoin('item_contacts as i', (j) => j.onRef('i.item_id', '=', 'n.subject_id').onRef('i.member_id', '=', 'm.id'))
    .select(['n.event_position', 'n.subject_type', 'n.subject_id', 'n.reason', 'm.id as member_id', 'm.email', 'm.name', 'i.member_id as contact'])
    .where('n.event_position', 'in', [...new Set(sends.map((row) => Number(row.from_position)))])
    .where('m.id', 'in', [...new Set(sends.map((row) => row.member_id))])
    .where((eb) => eb.or([eb('m.role', '=', 'admin'), eb('i.member_id', 'is not', null)])).where('m.removed_at', 'is', null)
    .execute();
  for (const send of sends) {
    const nudge = rows.find((r) => Number(r.event_position) === Number(send.from_position) && r.member_id === send.member_id);
    if (!nudge) continue;
    const table = nudge.subject_type === 'problem' ? 'problems' : 'solutions';
    const item = await db.selectFrom(table).select(['title', 'phase_ends_on', 'updated_at', 'nudged_at', 'status'])
      .where('id', '=', nudge.subject_id).executeTakeFirst();
    if (!item || item.nudged_at === null || item.status === 'archived') continue;
    const itemUrl = links.item(nudge.subject_type, nudge.subject_id)!;
    const answerUrl = await links.nudge({ member: nudge.member_id, subjectType: nudge.subject_type, id: nudge.subject_id });
    const unsubscribeUrl = await links.unsubscribe({ member: nudge.member_id });
    const kind = nudge.subject_type;
    const why = nudge.reason === 'phase_ended' && item.phase_ends_on
      ? `Its current phase was expected to end on ${item.phase_ends_on}.`
      : `It has not changed since ${new Date(item.updated_at).toISOString().slice(0, 10)}.`;
    const asked = nudge.contact ? `You are named as its contact.` : `It has no current named contact, so its council's admins are asked.`;
    const text = [
      `Hello ${nudge.name},`, '',
      `Is your council's ${kind} “${item.title}” still current? ${why} ${asked}`, '',
      `Answer in one click (still current, update or archive): ${answerUrl}`,
      `Or update it: ${itemUrl}/edit`, '',
      'Until someone answers, other councils will soon see it marked "may be out of date".', '',
      `Stop these emails: ${unsubscribeUrl}`,
    ].join('\n');
    const html = [
      `<p>Hello ${escape(nudge.name)},</p>`,
      `<p>Is your council's ${kind} <a href="${escape(itemUrl)}">“${escape(item.title)}”</a> still current? ${escape(why)} ${escape(asked)}</p>`,
      `<p><a href="${escape(answerUrl)}">Answer in one click: still current, update or archive</a></p>`,
      '<p>Until someone answers, other councils will soon see it marked "may be out of date".</p>',
      `<p><a href="${escape(unsubscribeUrl)}">Stop these emails</a></p>`,
    ].join('\n');
    result.set(send.key, { to: nudge.email, subject: `Is “${item.title}” still current?`, text, html, reference: send.key, unsubscribeUrl });
  }
  return result;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
