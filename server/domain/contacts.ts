import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { Transact } from '../db/transact.js';
import { canEdit, canSee, eventVisibility, isMember, type Viewer } from '../auth/viewer.js';
import { appendEvent } from '../events/outbox.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.js';
import { requireMember, type ContentSubject } from './content.js';
import { TABLE_OF } from './content-rows.js';
import { isUuid } from './ids.js';
import { LIST_CAPS } from './list-caps.js';
import { SERVICE_AREAS, isServiceArea, type ServiceAreaCode } from './service-areas.js';

/** A member who agreed to be called about their council's work. */
export interface Contact {
  readonly memberId: string;
  readonly councilId: string;
  readonly name: string;
  /** Their work email. */
  readonly email: string;
  readonly serviceAreas: readonly ServiceAreaCode[];
}

export interface ContactSettings {
  readonly showAsContact: boolean;
  readonly serviceAreas: readonly ServiceAreaCode[];
}

/**
 * "Who to call" (issue 13). Contacts are for signed-in members of any council: every read
 * answers null to an anonymous viewer, whatever the caller asked. A contact shows only while
 * the member is still on their council and still consents, so withdrawing is immediate.
 */
export function createContactService({ db, transact }: { db: Kysely<Database>; transact: Transact }) {
  /** Opted-in, current members, joined with their consent. */
  const contacts = () => db.selectFrom('members as m')
    .innerJoin('member_contact_settings as s', 's.member_id', 'm.id')
    .select(['m.id as memberId', 'm.council_id as councilId', 'm.name', 'm.email', 's.service_areas as serviceAreas'])
    .where('m.removed_at', 'is', null);

  return {
    async settings(viewer: Viewer): Promise<ContactSettings | null> {
      if (!isMember(viewer)) return null;
      const row = await db.selectFrom('member_contact_settings').select('service_areas').where('member_id', '=', viewer.memberId).executeTakeFirst();
      return { showAsContact: row !== undefined, serviceAreas: (row?.service_areas ?? []).filter(isServiceArea) };
    },

    /** The member's own consent; withdrawing it also removes them from the items that named them. */
    async updateSettings(viewer: Viewer, input: { showAsContact: boolean; serviceAreas?: readonly string[] | null }): Promise<ContactSettings> {
      const member = requireMember(viewer);
      const areas = [...new Set(input.serviceAreas ?? [])];
      const unknown = areas.filter((a) => !isServiceArea(a));
      if (unknown.length || areas.length > SERVICE_AREAS.length) {
        throw new ValidationError([{ field: 'serviceAreas', message: `are not all known service areas: ${unknown.slice(0, 5).join(', ')}` }]);
      }
      await transact(async (trx) => {
        if (!input.showAsContact) {
          await trx.deleteFrom('member_contact_settings').where('member_id', '=', member.memberId).execute();
          await trx.deleteFrom('item_contacts').where('member_id', '=', member.memberId).execute();
          return;
        }
        await trx.insertInto('member_contact_settings').values({ member_id: member.memberId, service_areas: areas })
          .onConflict((oc) => oc.column('member_id').doUpdateSet({ service_areas: areas, updated_at: new Date() })).execute();
      });
      return { showAsContact: input.showAsContact, serviceAreas: input.showAsContact ? areas.filter(isServiceArea) : [] };
    },

    /** Each item's contact, in the order asked; all null for an anonymous viewer. Callers pass items the viewer can see. */
    async forItems(viewer: Viewer, itemIds: readonly string[]): Promise<(Contact | null)[]> {
      if (!isMember(viewer) || itemIds.length === 0) return itemIds.map(() => null);
      const rows = await contacts().innerJoin('item_contacts as i', (j) => j.onRef('i.member_id', '=', 'm.id').onRef('i.council_id', '=', 'm.council_id'))
        .select('i.item_id').where('i.item_id', 'in', [...itemIds]).execute();
      const byItem = new Map(rows.map((r) => [r.item_id, toContact(r)]));
      return itemIds.map((id) => byItem.get(id) ?? null);
    },

    /** A council's contacts by name, at most LIST_CAPS.contacts; null for an anonymous viewer. */
    async forCouncil(viewer: Viewer, councilId: string): Promise<Contact[] | null> {
      if (!isMember(viewer)) return null;
      const rows = await contacts().where('m.council_id', '=', councilId).orderBy('m.name').orderBy('m.id').limit(LIST_CAPS.contacts).execute();
      return rows.map(toContact);
    },

    /**
     * Names (or, with null, clears) the contact for an item. Editors of the owning council
     * only; the contact must be a current member of that council who consents. Appends the
     * item's `updated` event, whose payload names what changed but never who the contact is.
     */
    async setForItem(viewer: Viewer, itemType: ContentSubject, itemId: string, memberId: string | null) {
      const member = requireMember(viewer);
      return transact(async (trx) => {
        const item = isUuid(itemId)
          ? await trx.selectFrom(TABLE_OF[itemType]).select(['id', 'council_id', 'visibility', 'title', 'summary', 'service_area', 'tags', 'status', 'version'])
            .where('id', '=', itemId).forUpdate().executeTakeFirst()
          : undefined;
        if (!item || !canSee(member, { councilId: item.council_id, visibility: item.visibility })) throw new NotFoundError(itemType.replace('_', ' '), itemId);
        if (!canEdit(member, item.council_id)) throw new ForbiddenError('only editors and admins of the owning council may name its contact');
        if (memberId === null) {
          await trx.deleteFrom('item_contacts').where('item_id', '=', itemId).execute();
        } else {
          const contact = isUuid(memberId) ? await trx.selectFrom('members as m').innerJoin('member_contact_settings as s', 's.member_id', 'm.id')
            .select('m.id').where('m.id', '=', memberId).where('m.council_id', '=', item.council_id).where('m.removed_at', 'is', null).executeTakeFirst() : undefined;
          if (!contact) throw new ValidationError([{ field: 'memberId', message: 'must be a member of the owning council who agreed to be shown as a contact' }]);
          await trx.insertInto('item_contacts').values({ item_id: itemId, item_type: itemType, council_id: item.council_id, member_id: memberId })
            .onConflict((oc) => oc.column('item_id').doUpdateSet({ member_id: memberId, updated_at: new Date() })).execute();
        }
        await appendEvent(trx, {
          type: `${itemType}.updated`, subjectType: itemType, subjectId: item.id, councilId: item.council_id, visibility: eventVisibility(item.visibility),
          payload: {
            title: item.title, summary: item.summary, serviceArea: item.service_area, tags: item.tags, status: item.status, version: item.version,
            changed: ['contact'], actorMemberId: member.memberId,
          },
        });
        return { id: item.id, type: itemType };
      });
    },
  };
}

function toContact(row: { memberId: string; councilId: string; name: string; email: string; serviceAreas: string[] }): Contact {
  return { memberId: row.memberId, councilId: row.councilId, name: row.name, email: row.email, serviceAreas: row.serviceAreas.filter(isServiceArea) };
}

export type ContactService = ReturnType<typeof createContactService>;
