import { decodeGlobalId } from '../server/kernel/global-id.js';
import { FormError } from './forms.js';
import type { Outcome, PageRequest, PageRoute } from './page-request.js';
import {
  isSubject, MAX_REASON, MODERATION_QUERY, moderationPage, notModeratorPage, REPORT_SUBJECT_QUERY, reportPage, reportSentPage,
  type ModerationData, type Subject,
} from './pages/moderation-pages.js';
import { postedForm } from './write/posted-form.js';

const ERRORS = `... on ValidationError { fields { field message } } ... on Error { code message }`;
const REPORT = `mutation($input: ReportContentInput!) { result: reportContent(input: $input) { __typename ${ERRORS} } }`;
const DECIDE = {
  hide: ['HideContentPayload', `mutation($input: HideContentInput!) { result: hideContent(input: $input) { __typename ${ERRORS} } }`, 'hidden'],
  restore: ['RestoreContentPayload', `mutation($input: RestoreContentInput!) { result: restoreContent(input: $input) { __typename ${ERRORS} } }`, 'restored'],
  dismiss: ['DismissReportsPayload', `mutation($input: DismissReportsInput!) { result: dismissReports(input: $input) { __typename ${ERRORS} } }`, 'dismissed'],
} as const;

type Result = { result: { __typename: string; code?: string; message?: string } };

/** Reporting an item or comment (/report) and the platform admins' review queue (/moderation). */
export function createModerationRoutes(): PageRoute {
  return async (request) => {
    const path = request.url.pathname;
    const post = request.req.method === 'POST';
    if (path === '/report') return report(request, post);
    if (path !== '/moderation') return null;
    if (!request.session && !post) return { redirect: '/sign-in' };
    if (!post) return show(request, { done: request.url.searchParams.get('done') });
    return decide(request);
  };
}

async function report(request: PageRequest, post: boolean): Promise<Outcome | null> {
  if (!request.session && !post) return { redirect: '/sign-in' };
  // The form is checked (session, origin, CSRF) before anything else is read or asked.
  const form = post ? (await postedForm(request)).form : undefined;
  const session = request.session!;
  const id = subjectIdIn((form ?? request.url.searchParams).get('subject'));
  const subject = id ? await loadSubject(request, id) : undefined;
  if (!subject) return null;
  if (!form) return { view: reportPage(session, subject) };
  const reason = (form.get('reason') ?? '').trim();
  const error = !reason ? 'Enter why you are reporting it' : reason.length > MAX_REASON ? `Reason must be ${MAX_REASON.toLocaleString('en-GB')} characters or fewer` : undefined;
  if (error) return { status: 400, view: reportPage(session, subject, reason, error) };
  const { result } = await request.data<Result>(request.server, REPORT, { input: { subjectId: subject.id, reason } });
  if (result.__typename === 'ReportContentPayload') return { view: reportSentPage(subject) };
  // Already reported by this member, a draft, or hidden meanwhile: the API says which.
  if (result.code === 'CONFLICT' && result.message) return { status: 409, view: reportPage(session, subject, reason, sentence(result.message)) };
  throw new FormError(400, result.message ?? 'the report was refused');
}

async function decide(request: PageRequest): Promise<Outcome> {
  const { session, form } = await postedForm(request);
  if (!session.viewer.isPlatformAdmin) return { status: 403, view: notModeratorPage() };
  const decision = form.get('decision');
  const field = /^(reason|restore)-\d{1,3}$/.test(form.get('field') ?? '') ? form.get('field')! : 'reason-0';
  const subjectId = subjectIdIn(form.get('subject'));
  if (decision !== 'hide' && decision !== 'restore' && decision !== 'dismiss') throw new FormError(400, 'the form did not say what to do');
  if (!subjectId) throw new FormError(400, 'the form did not say what it is about');
  const reason = (form.get(field) ?? '').trim();
  const error = !reason ? 'Enter the reason for your decision' : reason.length > MAX_REASON ? `Reason must be ${MAX_REASON.toLocaleString('en-GB')} characters or fewer` : undefined;
  if (error) return show(request, { errors: [{ field, message: error }], answers: { [field]: reason } });
  const [success, document, done] = DECIDE[decision];
  const { result } = await request.data<Result>(request.server, document, { input: { subjectId, reason } });
  if (result.__typename === success) return { redirect: `/moderation?done=${done}` };
  // Someone else decided first (already hidden, no reports left): the page shows how things are now.
  return show(request, { errors: [{ field, message: result.message ?? 'The decision was refused' }], answers: { [field]: reason } });
}

async function show(request: PageRequest, options: Parameters<typeof moderationPage>[2]): Promise<Outcome> {
  const data = await request.data<ModerationData>(request.server, MODERATION_QUERY, {});
  if (!data.moderationQueue) return { status: 403, view: notModeratorPage() };
  return { status: options?.errors?.length ? 400 : 200, view: moderationPage(request.session!, data, options) };
}

async function loadSubject(request: PageRequest, id: string): Promise<Subject | undefined> {
  const { node } = await request.data<{ node: { __typename: string } | null }>(request.server, REPORT_SUBJECT_QUERY, { id });
  return isSubject(node) ? node : undefined;
}

const sentence = (message: string) => `${message.charAt(0).toUpperCase()}${message.slice(1)}`;

function subjectIdIn(value: string | null): string | undefined {
  if (!value) return undefined;
  try {
    return ['Problem', 'Solution', 'CaseStudy', 'Comment'].includes(decodeGlobalId(value).typename) ? value : undefined;
  } catch {
    return undefined;
  }
}
