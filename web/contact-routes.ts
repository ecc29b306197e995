import { FormError } from './forms.js';
import type { FieldError } from './form-fields.js';
import type { Outcome, PageRequest, PageRoute } from './page-request.js';
import { CONTACT_SETTINGS_QUERY, contactSettingsPage, type ContactAnswers, type ContactSettingsData } from './pages/contact-pages.js';
import { idInPath } from './read-routes.js';
import { itemPath, kindOfPath } from './vocabulary.js';
import { postedForm } from './write/posted-form.js';

const UPDATE = `mutation($input: UpdateContactSettingsInput!) { result: updateContactSettings(input: $input) { __typename ... on Error { message } } }`;
const SET = `mutation($input: SetItemContactInput!) { result: setItemContact(input: $input) { __typename ... on Error { message } } }`;

type Result = { result: { __typename: string; message?: string } };

/** A member's own "show me as a contact" (/account/contact) and an editor naming an item's contact. */
export function createContactRoutes(): PageRoute {
  return async (request) => {
    const path = request.url.pathname;
    if (path === '/account/contact') {
      if (request.req.method === 'POST') return saveSettings(request);
      return request.session ? showSettings(request, undefined, [], request.url.searchParams.get('saved') === '1') : { redirect: '/sign-in' };
    }
    const found = /^\/([a-z-]+)\/([^/]{1,300})\/contact$/.exec(path);
    const kind = found ? kindOfPath(found[1]!) : undefined;
    const id = kind ? idInPath(found![2]!, kind) : undefined;
    if (!kind || !id || request.req.method !== 'POST') return null;
    const { form } = await postedForm(request);
    const member = form.get('contact') ?? '';
    const { result } = await request.data<Result>(request.server, SET, { input: { itemId: id, memberId: member || null } });
    if (result.__typename !== 'SetItemContactPayload') throw new FormError(400, result.message ?? 'the contact was refused');
    return { redirect: `${itemPath(kind, id)}#who-to-call` };
  };
}

async function showSettings(request: PageRequest, answers?: ContactAnswers, errors: FieldError[] = [], saved = false): Promise<Outcome> {
  const data = await request.data<ContactSettingsData>(request.server, CONTACT_SETTINGS_QUERY);
  const now = data.viewer.contactSettings;
  // "No" is never chosen for the member: they answer the question themselves the first time.
  const shown = answers ?? { show: now?.showAsContact ? 'yes' : '', serviceAreas: now?.serviceAreas ?? [] };
  return { status: errors.length ? 400 : 200, view: contactSettingsPage(request.session!, data, shown, errors, saved) };
}

async function saveSettings(request: PageRequest): Promise<Outcome> {
  const { form } = await postedForm(request);
  const answers = { show: form.get('show') ?? '', serviceAreas: form.getAll('serviceArea').slice(0, 50) };
  if (answers.show !== 'yes' && answers.show !== 'no') {
    return showSettings(request, answers, [{ field: 'show', message: 'Select yes if other councils can contact you' }]);
  }
  const input = { showAsContact: answers.show === 'yes', serviceAreas: answers.show === 'yes' ? answers.serviceAreas : [] };
  const { result } = await request.data<Result>(request.server, UPDATE, { input });
  if (result.__typename !== 'UpdateContactSettingsPayload') throw new FormError(400, result.message ?? 'the setting was refused');
  return { redirect: '/account/contact?saved=1' };
}
