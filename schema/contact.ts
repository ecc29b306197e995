import type { Contact, ContactSettings } from '../server/domain/contacts.js';
import type { ContentSubject } from '../server/domain/content.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';
import { ValidationError } from '../server/kernel/errors.js';
import { builder } from './builder.js';
import { INPUT_ARG, MUTATION_ERRORS } from './errors.js';
import { ContentRef, CouncilRef, MemberRef } from './refs.js';
import { ServiceAreaEnum } from './service-area.js';
import { ViewerRef } from './viewer.js';
import { must } from '../server/kernel/must.js';

const ITEM_TYPES: Record<string, ContentSubject> = { Problem: 'problem', Solution: 'solution', CaseStudy: 'case_study' };

const ContactRef = builder.objectRef<Contact>('Contact').implement({
  description: 'Whom to call: a member who agreed to be shown as a contact for their council. Only signed-in members (any council) see contacts',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Their name' }),
    email: t.exposeString('email', { description: 'Their work email' }),
    serviceAreas: t.field({ type: [ServiceAreaEnum], description: 'The service areas they said they can talk about; empty for any', resolve: (c) => [...c.serviceAreas] }),
    member: t.field({ type: MemberRef, description: 'The member', resolve: (c, _, ctx) => ctx.loaders.member.load(c.memberId).then(must) }),
  }),
});

const ContactSettingsRef = builder.objectRef<ContactSettings>('ContactSettings').implement({
  description: 'Whether you are shown as a contact for your council',
  fields: (t) => ({
    showAsContact: t.exposeBoolean('showAsContact', { description: 'Whether signed-in members may see your name and work email as a contact' }),
    serviceAreas: t.field({ type: [ServiceAreaEnum], description: 'The service areas you can talk about; empty for any', resolve: (s) => [...s.serviceAreas] }),
  }),
});

builder.interfaceFields(ContentRef, (t) => ({
  contact: t.field({
    type: ContactRef, nullable: true,
    description: 'Whom to call about it, a member of the owning council; null without a signed-in member or token (anonymous visitors see the council only), when none is named, or once the contact has left or withdrawn their consent',
    resolve: (item, _, ctx) => ctx.loaders.itemContact.load(item.id),
  }),
}));

builder.objectField(CouncilRef, 'contacts', (t) => t.field({
  type: [ContactRef], nullable: true,
  extensions: listCap(LIST_CAPS.contacts),
  description: `Members of the council who agreed to be shown as contacts, by name (at most ${LIST_CAPS.contacts}); null without a signed-in member or token`,
  resolve: (council, _, ctx) => ctx.services.contacts.forCouncil(ctx.viewer, council.id),
}));

builder.objectField(ViewerRef, 'contactSettings', (t) => t.field({
  type: ContactSettingsRef, nullable: true,
  description: 'Whether you are shown as a contact; null without a token',
  resolve: (_, __, ctx) => ctx.services.contacts.settings(ctx.viewer),
}));

const UpdateContactSettingsInput = builder.inputType('UpdateContactSettingsInput', {
  description: 'Your consent to be shown as a contact',
  fields: (t) => ({
    showAsContact: t.boolean({ required: true, description: 'true shows your name and work email to signed-in members as a contact; false withdraws it and clears you from every item that named you' }),
    serviceAreas: t.field({ type: [ServiceAreaEnum], description: 'The service areas you can talk about (at most one of each); empty or null for any' }),
  }),
});

const SetItemContactInput = builder.inputType('SetItemContactInput', {
  description: 'Whom to call about an item',
  fields: (t) => ({
    itemId: t.globalID({ required: true, description: 'A problem, solution or case study of your council' }),
    memberId: t.globalID({ for: [MemberRef], description: 'A member of the owning council who agreed to be shown as a contact; null clears the contact' }),
  }),
});

builder.mutationFields((t) => ({
  updateContactSettings: t.field({
    type: ContactSettingsRef,
    description: 'Whether you are shown as a contact for your council (your own choice; nobody else can make it)',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'settings', description: 'Your contact settings now' } },
    args: { input: t.arg({ type: UpdateContactSettingsInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.contacts.updateSettings(ctx.viewer, input),
  }),
  setItemContact: t.field({
    type: ContentRef,
    description: "Editors and admins: names the contact for one of their council's items, or clears it. Appends the item's `updated` event, which never names the contact",
    errors: { types: MUTATION_ERRORS, dataField: { name: 'item', description: 'The item' } },
    args: { input: t.arg({ type: SetItemContactInput, required: true, description: INPUT_ARG }) },
    resolve: async (_, { input }, ctx) => {
      const type = ITEM_TYPES[input.itemId.typename];
      if (!type) throw new ValidationError([{ field: 'itemId', message: 'must be the ID of a problem, solution or case study' }]);
      const set = await ctx.services.contacts.setForItem(ctx.viewer, type, input.itemId.id, input.memberId?.id ?? null);
      const loader = set.type === 'problem' ? ctx.loaders.problem : set.type === 'solution' ? ctx.loaders.solution : ctx.loaders.caseStudy;
      return must(await loader.load(set.id));
    },
  }),
}));
