import { encodeGlobalId } from '../../server/kernel/global-id.js';
import type { People } from './factories.js';
import type { TestApp } from './test-app.js';

export interface Walk {
  hub: TestApp;
  people: People;
  /** A platform admin's token, for council administration. */
  platformAdmin: string;
  /** Ids created along the walk, for later steps. */
  ids: Record<string, string>;
  /** Runs one mutation with `select` on its payload type and returns the payload, failing on any error. */
  call(mutation: string, input: Record<string, unknown>, token: string, select?: string): Promise<any>;
}

export interface Step {
  readonly mutation: string;
  /** The events the mutation appends, in order, as subscribers see them. */
  readonly events: string[];
  run(walk: Walk): Promise<void>;
}

/**
 * Every mutation, in an order that makes each one valid. A new mutation fails the coverage
 * check in test/e2e/mutation-events.test.ts until it is added here with the events it must
 * append; test/e2e/outbox-atomicity.test.ts walks the same steps with those appends refused
 * (invariant 1).
 */
export const STEPS: Step[] = [
  {
    mutation: 'createProblem', events: ['PROBLEM_CREATED'],
    run: async (w) => {
      w.ids.problem = (await w.call('createProblem', { title: 'Council tax reminders bounce', summary: 'Letters return undelivered.', serviceArea: 'REVENUES_BENEFITS' }, w.people.a.member.token, 'problem { id }')).problem.id;
    },
  },
  {
    mutation: 'updateProblem', events: ['PROBLEM_UPDATED', 'PROBLEM_STATUS_CHANGED'],
    run: async (w) => { await w.call('updateProblem', { id: w.ids.problem, version: 1, title: 'Council tax reminders bounce back', status: 'EXPLORING' }, w.people.a.editor.token); },
  },
  {
    mutation: 'publishProblem', events: ['PROBLEM_PUBLISHED'],
    run: async (w) => { await w.call('publishProblem', { id: w.ids.problem }, w.people.a.editor.token); },
  },
  {
    mutation: 'supportProblem', events: ['PROBLEM_SUPPORTED'],
    run: async (w) => { await w.call('supportProblem', { problemId: w.ids.problem, note: 'Same here' }, w.people.b.member.token); },
  },
  {
    mutation: 'withdrawSupport', events: ['PROBLEM_SUPPORT_WITHDRAWN'],
    run: async (w) => { await w.call('withdrawSupport', { problemId: w.ids.problem }, w.people.b.member.token); },
  },
  {
    // Council b's draft is the same problem: b now supports a's. The draft's own archiving
    // stays inside council b, so a's admin sees only the support.
    mutation: 'markProblemSameAs', events: ['PROBLEM_SUPPORTED'],
    run: async (w) => {
      const draft = await w.call('createProblem', { title: 'Reminder letters come back', summary: 'Returned post.', serviceArea: 'REVENUES_BENEFITS' }, w.people.b.editor.token, 'problem { id }');
      await w.call('markProblemSameAs', { id: draft.problem.id, sameAsId: w.ids.problem, note: 'Ours too' }, w.people.b.editor.token);
    },
  },
  {
    mutation: 'createSolution', events: ['SOLUTION_CREATED'],
    run: async (w) => {
      w.ids.solution = (await w.call('createSolution', {
        title: 'Email bounce handling in the revenues system', summary: 'Flags bounced reminders for a phone call.',
        serviceArea: 'REVENUES_BENEFITS', kind: 'PROCESS', phase: 'LIVE',
      }, w.people.a.member.token, 'solution { id }')).solution.id;
    },
  },
  {
    mutation: 'updateSolution', events: ['SOLUTION_UPDATED'],
    run: async (w) => { await w.call('updateSolution', { id: w.ids.solution, version: 1, phase: 'BETA' }, w.people.a.editor.token); },
  },
  {
    mutation: 'publishSolution', events: ['SOLUTION_PUBLISHED'],
    run: async (w) => { await w.call('publishSolution', { id: w.ids.solution }, w.people.a.editor.token); },
  },
  {
    mutation: 'linkSolutionToProblem', events: ['SOLUTION_LINKED'],
    run: async (w) => { await w.call('linkSolutionToProblem', { solutionId: w.ids.solution, problemId: w.ids.problem }, w.people.a.editor.token); },
  },
  {
    mutation: 'recordAdoption', events: ['SOLUTION_ADOPTED'],
    run: async (w) => { await w.call('recordAdoption', { solutionId: w.ids.solution, stage: 'PILOTING' }, w.people.b.member.token); },
  },
  {
    mutation: 'unlinkSolutionFromProblem', events: ['SOLUTION_UNLINKED'],
    run: async (w) => { await w.call('unlinkSolutionFromProblem', { solutionId: w.ids.solution, problemId: w.ids.problem }, w.people.a.editor.token); },
  },
  {
    mutation: 'confirmSolutionCurrent', events: ['SOLUTION_CONFIRMED_CURRENT'],
    run: async (w) => { await w.call('confirmSolutionCurrent', { id: w.ids.solution }, w.people.a.editor.token); },
  },
  {
    mutation: 'archiveSolution', events: ['SOLUTION_ARCHIVED'],
    run: async (w) => { await w.call('archiveSolution', { id: w.ids.solution }, w.people.a.editor.token); },
  },
  {
    mutation: 'createCaseStudy', events: ['CASE_STUDY_CREATED'],
    run: async (w) => {
      w.ids.caseStudy = (await w.call('createCaseStudy', {
        title: 'Phoning bounced reminders', summary: 'A year of calling residents whose reminders bounced.',
        serviceArea: 'REVENUES_BENEFITS', outcome: 'PARTLY_WORKED', problemIds: [w.ids.problem],
      }, w.people.a.member.token, 'caseStudy { id }')).caseStudy.id;
    },
  },
  {
    mutation: 'updateCaseStudy', events: ['CASE_STUDY_UPDATED'],
    run: async (w) => { await w.call('updateCaseStudy', { id: w.ids.caseStudy, version: 1, lessons: 'Call in the evening.' }, w.people.a.editor.token); },
  },
  {
    mutation: 'publishCaseStudy', events: ['CASE_STUDY_PUBLISHED'],
    run: async (w) => { await w.call('publishCaseStudy', { id: w.ids.caseStudy }, w.people.a.editor.token); },
  },
  {
    // A report is seen by its reporter and platform admins only: it is never an event.
    mutation: 'reportContent', events: [],
    run: async (w) => { await w.call('reportContent', { subjectId: w.ids.caseStudy, reason: 'Names a resident' }, w.people.b.member.token); },
  },
  {
    mutation: 'hideContent', events: ['CASE_STUDY_HIDDEN'],
    run: async (w) => { await w.call('hideContent', { subjectId: w.ids.caseStudy, reason: 'Personal data' }, w.platformAdmin); },
  },
  {
    mutation: 'restoreContent', events: ['CASE_STUDY_RESTORED'],
    run: async (w) => { await w.call('restoreContent', { subjectId: w.ids.caseStudy, reason: 'Council removed the name' }, w.platformAdmin); },
  },
  {
    mutation: 'dismissReports', events: [],
    run: async (w) => {
      await w.call('reportContent', { subjectId: w.ids.caseStudy, reason: 'Still names a resident' }, w.people.b.member.token);
      await w.call('dismissReports', { subjectId: w.ids.caseStudy, reason: 'Checked: no name left' }, w.platformAdmin);
    },
  },
  {
    mutation: 'addComment', events: ['COMMENT_ADDED'],
    run: async (w) => {
      w.ids.comment = (await w.call('addComment', { subjectId: w.ids.problem, body: 'We tried texting first.' }, w.people.b.member.token, 'comment { id }')).comment.id;
    },
  },
  {
    mutation: 'editComment', events: ['COMMENT_EDITED'],
    run: async (w) => { await w.call('editComment', { id: w.ids.comment, body: 'We tried texting second.' }, w.people.b.member.token); },
  },
  {
    mutation: 'deleteComment', events: ['COMMENT_DELETED'],
    // An admin of the commenter's council moderates what its members wrote.
    run: async (w) => { await w.call('deleteComment', { id: w.ids.comment }, w.people.b.admin.token); },
  },
  {
    mutation: 'updateContactSettings', events: [],
    run: async (w) => { await w.call('updateContactSettings', { showAsContact: true, serviceAreas: ['REVENUES_BENEFITS'] }, w.people.a.member.token); },
  },
  {
    mutation: 'setItemContact', events: ['PROBLEM_UPDATED'],
    run: async (w) => { await w.call('setItemContact', { itemId: w.ids.problem, memberId: encodeGlobalId('Member', w.people.a.member.id) }, w.people.a.editor.token); },
  },
  {
    mutation: 'archiveCaseStudy', events: ['CASE_STUDY_ARCHIVED'],
    run: async (w) => { await w.call('archiveCaseStudy', { id: w.ids.caseStudy }, w.people.a.editor.token); },
  },
  {
    mutation: 'addMember', events: ['MEMBER_ADDED'],
    run: async (w) => {
      w.ids.member = (await w.call('addMember', { name: 'Sam Patel', email: `sam-${Date.now()}@example.gov.uk`, role: 'MEMBER' },
        w.people.a.admin.token, 'member { id }')).member.id;
    },
  },
  {
    mutation: 'updateMemberRole', events: ['MEMBER_UPDATED'],
    run: async (w) => { await w.call('updateMemberRole', { id: w.ids.member, role: 'EDITOR' }, w.people.a.admin.token); },
  },
  {
    mutation: 'createApiToken', events: ['API_TOKEN_CREATED'],
    run: async (w) => {
      w.ids.token = (await w.call('createApiToken', { label: 'case management sync', memberId: w.ids.member },
        w.people.a.admin.token, 'apiToken { id }')).apiToken.id;
    },
  },
  {
    mutation: 'revokeApiToken', events: ['API_TOKEN_REVOKED'],
    run: async (w) => { await w.call('revokeApiToken', { id: w.ids.token }, w.people.a.admin.token); },
  },
  {
    mutation: 'removeMember', events: ['MEMBER_REMOVED'],
    run: async (w) => { await w.call('removeMember', { id: w.ids.member }, w.people.a.admin.token); },
  },
  {
    mutation: 'createCouncil', events: ['COUNCIL_CREATED'],
    run: async (w) => {
      w.ids.council = (await w.call('createCouncil', {
        slug: `walk-${Date.now()}`, name: 'Walkthrough District Council', kind: 'DISTRICT', region: 'East of England',
      }, w.platformAdmin, 'council { id }')).council.id;
    },
  },
  {
    mutation: 'updateCouncil', events: ['COUNCIL_UPDATED'],
    run: async (w) => { await w.call('updateCouncil', { id: w.ids.council, website: 'https://www.walkthrough.gov.uk' }, w.platformAdmin); },
  },
  {
    mutation: 'addCouncilSystem', events: ['COUNCIL_UPDATED'],
    run: async (w) => {
      w.ids.system = (await w.call('addCouncilSystem', { category: 'FINANCE', supplier: 'Ledger Co', product: 'Ledger One' },
        w.people.a.admin.token, 'councilSystem { id }')).councilSystem.id;
    },
  },
  {
    mutation: 'updateCouncilSystem', events: ['COUNCIL_UPDATED'],
    run: async (w) => { await w.call('updateCouncilSystem', { id: w.ids.system, contractEndsOn: '2028-03-31' }, w.people.a.admin.token); },
  },
  {
    mutation: 'removeCouncilSystem', events: ['COUNCIL_UPDATED'],
    run: async (w) => { await w.call('removeCouncilSystem', { id: w.ids.system }, w.people.a.admin.token); },
  },
  {
    mutation: 'createWebhookEndpoint', events: ['WEBHOOK_ENDPOINT_CREATED'],
    run: async (w) => {
      // Port 9 (discard) on loopback: nothing listens, so the test event below is refused there.
      w.ids.endpoint = (await w.call('createWebhookEndpoint', { url: 'http://127.0.0.1:9/hooks', eventTypes: ['PROBLEM_ARCHIVED'] },
        w.people.a.admin.token, 'endpoint { id }')).endpoint.id;
    },
  },
  {
    mutation: 'updateWebhookEndpoint', events: ['WEBHOOK_ENDPOINT_UPDATED'],
    run: async (w) => { await w.call('updateWebhookEndpoint', { id: w.ids.endpoint, description: 'Case management' }, w.people.a.admin.token); },
  },
  {
    mutation: 'rotateWebhookSecret', events: ['WEBHOOK_ENDPOINT_SECRET_ROTATED'],
    run: async (w) => { await w.call('rotateWebhookSecret', { id: w.ids.endpoint }, w.people.a.admin.token); },
  },
  {
    // A test event is no change to the hub: it appends nothing (its delivery fails here).
    mutation: 'sendTestEvent', events: [],
    run: async (w) => {
      w.ids.delivery = (await w.call('sendTestEvent', { id: w.ids.endpoint }, w.people.a.admin.token, 'delivery { id status }')).delivery.id;
    },
  },
  {
    mutation: 'redeliver', events: [],
    run: async (w) => { await w.call('redeliver', { id: w.ids.delivery }, w.people.a.admin.token); },
  },
  {
    mutation: 'deleteWebhookEndpoint', events: ['WEBHOOK_ENDPOINT_DELETED'],
    run: async (w) => { await w.call('deleteWebhookEndpoint', { id: w.ids.endpoint }, w.people.a.admin.token); },
  },
  {
    mutation: 'follow', events: [],
    run: async (w) => { w.ids.follow = (await w.call('follow', { serviceArea: 'WASTE' }, w.people.b.member.token, 'follow { id }')).follow.id; },
  },
  { mutation: 'updateFollow', events: [], run: async (w) => { await w.call('updateFollow', { id: w.ids.follow, email: 'WEEKLY' }, w.people.b.member.token); } },
  { mutation: 'updateEmailSettings', events: [], run: async (w) => { await w.call('updateEmailSettings', { email: 'OFF' }, w.people.b.member.token); } },
  { mutation: 'markNotificationsRead', events: [], run: async (w) => { await w.call('markNotificationsRead', { ids: [] }, w.people.b.member.token); } },
  { mutation: 'markAllNotificationsRead', events: [], run: async (w) => { await w.call('markAllNotificationsRead', {}, w.people.b.member.token); } },
  { mutation: 'unfollow', events: [], run: async (w) => { await w.call('unfollow', { id: w.ids.follow }, w.people.b.member.token); } },
  {
    mutation: 'confirmProblemCurrent', events: ['PROBLEM_CONFIRMED_CURRENT'],
    run: async (w) => { await w.call('confirmProblemCurrent', { id: w.ids.problem }, w.people.a.editor.token); },
  },
  {
    mutation: 'archiveProblem', events: ['PROBLEM_ARCHIVED'],
    run: async (w) => { await w.call('archiveProblem', { id: w.ids.problem }, w.people.a.editor.token); },
  },
];
