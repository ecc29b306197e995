import type { FieldError } from './form-fields.js';
import type { Outcome, PageRequest, PageRoute } from './page-request.js';
import { MEMBERS_PAGE_SIZE, MEMBERS_QUERY, membersPage, notAdminPage, type MembersData, type NewMember } from './pages/members-page.js';
import { postedForm } from './write/posted-form.js';

const ERRORS = `... on ValidationError { message fields { field message } } ... on Error { message }`;
const ADD = `mutation($input: AddMemberInput!) { result: addMember(input: $input) { __typename ${ERRORS} } }`;
const ROLE = `mutation($input: UpdateMemberRoleInput!) { result: updateMemberRole(input: $input) { __typename ${ERRORS} } }`;
const REMOVE = `mutation($input: RemoveMemberInput!) { result: removeMember(input: $input) { __typename ${ERRORS} } }`;
const SUCCESS: Record<string, string> = { add: 'AddMemberPayload', role: 'UpdateMemberRolePayload', remove: 'RemoveMemberPayload' };

type Result = { __typename: string; message?: string; fields?: { field: string; message: string }[] };

/**
 * A council admin's members page. Who may do what is the API's to decide (admins of the
 * council only, never the last admin removed or demoted): the page shows its refusals.
 */
export function createMemberRoutes(): PageRoute {
  return async (request) => {
    const path = request.url.pathname;
    if (path === '/council/members' && request.req.method !== 'POST') return request.session ? show(request) : { redirect: '/sign-in' };
    const action = /^\/council\/members\/(add|role|remove)$/.exec(path)?.[1];
    if (!action || request.req.method !== 'POST') return null;
    const { form } = await postedForm(request);
    const answers: NewMember = { name: (form.get('name') ?? '').trim(), email: (form.get('email') ?? '').trim(), role: form.get('role') ?? '' };
    if (action === 'add') {
      const errors = check(answers);
      if (errors.length) return show(request, answers, errors);
    }
    const [document, input] = action === 'add' ? [ADD, answers]
      : action === 'role' ? [ROLE, { id: form.get('member') ?? '', role: answers.role }]
        : [REMOVE, { id: form.get('member') ?? '' }];
    const { result } = await request.data<{ result: Result }>(request.server, document, { input });
    if (result.__typename === SUCCESS[action]) return { redirect: '/council/members' };
    const errors: FieldError[] = result.fields?.length
      ? result.fields.map((f) => ({ field: f.field === 'id' ? 'add' : f.field, message: `${f.field} ${f.message}` }))
      : [{ field: action === 'add' ? 'name' : 'add', message: result.message ?? 'The change was refused' }];
    return show(request, action === 'add' ? answers : undefined, errors);
  };
}

async function show(request: PageRequest, answers?: NewMember, errors: FieldError[] = []): Promise<Outcome> {
  const { viewer } = await request.data<MembersData>(request.server, MEMBERS_QUERY, { first: MEMBERS_PAGE_SIZE });
  const council = viewer.council;
  if (!council?.viewerCanAdminister || !council.members) return { status: 403, view: notAdminPage(request.session!.council.name) };
  const members = council.members.edges.map((e) => e.node);
  return { status: errors.length ? 400 : 200, view: membersPage(request.session!, council, members, council.members.pageInfo.hasNextPage, answers, errors) };
}

function check(answers: NewMember): FieldError[] {
  const errors: FieldError[] = [];
  if (!answers.name) errors.push({ field: 'name', message: 'Enter their full name' });
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(answers.email)) errors.push({ field: 'email', message: 'Enter a work email address, like name@council.gov.uk' });
  if (!['MEMBER', 'EDITOR', 'ADMIN'].includes(answers.role)) errors.push({ field: 'role', message: 'Choose a role' });
  return errors;
}
