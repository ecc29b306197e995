import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';

export interface NudgeRecipient {
  readonly id: string;
  /** Their overall email setting; null is the default. */
  readonly email: string | null;
}

/**
 * Who is asked whether an item is still current: its named contact (who to call, issue 13)
 * while they are still a member of its council who agrees to be a contact, or else its
 * council's admins. Withdrawing consent deletes the naming; removal from the council does
 * not, so a removed contact is passed over here and the admins are asked instead.
 */
export async function nudgeRecipients(db: Kysely<Database>, item: { id: string; councilId: string }): Promise<NudgeRecipient[]> {
  const contact = await db.selectFrom('item_contacts as i')
    .innerJoin('members as m', 'm.id', 'i.member_id')
    .innerJoin('member_contact_settings as c', 'c.member_id', 'm.id')
    .leftJoin('member_email_settings as s', 's.member_id', 'm.id')
    .select(['m.id', 's.email'])
    .where('i.item_id', '=', item.id).where('m.council_id', '=', item.councilId).where('m.removed_at', 'is', null)
    .execute();
  if (contact.length > 0) return contact;
  return db.selectFrom('members as m').leftJoin('member_email_settings as s', 's.member_id', 'm.id')
    .select(['m.id', 's.email'])
    .where('m.council_id', '=', item.councilId).where('m.role', '=', 'admin').where('m.removed_at', 'is', null)
    .execute();
}

/**
 * Whether `memberId` may answer the nudge about an item: a current member of its council who
 * is its named contact now, or an admin or editor there (who may change it anyway). The
 * answer's signed link names the member; this says whether that member still counts.
 */
export async function answersFor(db: Kysely<Database>, memberId: string, item: { id: string; councilId: string }): Promise<'contact' | 'editor' | null> {
  const row = await db.selectFrom('members as m')
    .leftJoin('item_contacts as i', (j) => j.onRef('i.member_id', '=', 'm.id').on('i.item_id', '=', item.id))
    .leftJoin('member_contact_settings as c', 'c.member_id', 'm.id')
    .select(['m.role', 'i.item_id', 'c.member_id as consents'])
    .where('m.id', '=', memberId).where('m.council_id', '=', item.councilId).where('m.removed_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  if (row.item_id !== null && row.consents !== null) return 'contact';
  return row.role === 'admin' || row.role === 'editor' ? 'editor' : null;
}
