import { resolveCursorConnection } from '@pothos/plugin-relay';
import type { Context } from '../server/context.js';
import { isPlatformAdmin } from '../server/auth/viewer.js';
import { ValidationError } from '../server/kernel/errors.js';
import { encodeGlobalId, subjectTypename } from '../server/kernel/global-id.js';
import { LIMITS } from '../server/domain/input-checker.js';
import { LIST_CAPS, listCap } from '../server/domain/list-caps.js';
import type { ModerationAction, Report, ReportedSubject } from '../server/domain/moderation/model.js';
import { encodeCursor } from '../server/domain/moderation/reads.js';
import type { ModeratedSubject } from '../server/domain/moderation/subjects.js';
import { builder } from './builder.js';
import { INPUT_ARG, MUTATION_ERRORS } from './errors.js';
import { MemberRef } from './refs.js';

const SUBJECTS: Record<string, ModeratedSubject> = { Problem: 'problem', Solution: 'solution', CaseStudy: 'case_study', Comment: 'comment' };
const REASON = `Why, 1 to ${LIMITS.reason.toLocaleString('en-GB')} characters`;

function subjectOf(id: { typename: string; id: string }): { type: ModeratedSubject; id: string } {
  const type = SUBJECTS[id.typename];
  if (!type) throw new ValidationError([{ field: 'subjectId', message: 'must be the ID of a problem, solution, case study or comment' }]);
  return { type, id: id.id };
}

/** The item or comment, as the viewer may see it (platform admins see hidden ones); null once deleted. */
function loadSubject(type: ModeratedSubject, id: string, ctx: Context) {
  switch (type) {
    case 'problem': return ctx.loaders.problem.load(id);
    case 'solution': return ctx.loaders.solution.load(id);
    case 'case_study': return ctx.loaders.caseStudy.load(id);
    case 'comment': return ctx.loaders.comment.load(id);
  }
}

const ModerationDecisionEnum = builder.enumType('ModerationDecision', {
  description: 'What a platform admin decided',
  values: {
    HIDDEN: { value: 'hidden', description: 'Hidden: gone from pages, lists, search, open data and later events; its council still sees it, marked' },
    RESTORED: { value: 'restored', description: 'Shown again as it was' },
    DISMISSED: { value: 'dismissed', description: 'Its open reports were closed without hiding it' },
  },
});

const ContentReportRef = builder.objectRef<Report>('ContentReport').implement({
  description: 'A member\'s report of an item or comment; seen by its reporter and platform admins only',
  fields: (t) => ({
    id: t.id({ description: 'Its global id', resolve: (r) => encodeGlobalId('ContentReport', r.id) }),
    subjectId: t.id({ description: 'The global id of the item or comment reported', resolve: (r) => encodeGlobalId(subjectTypename(r.subjectType), r.subjectId) }),
    reason: t.exposeString('reason', { description: 'Why it was reported' }),
    reporter: t.field({ type: MemberRef, nullable: true, description: 'Who reported it', resolve: (r, _, ctx) => ctx.loaders.member.load(r.reporterId) }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was reported' }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true, description: 'When a platform admin hid the subject or dismissed the report; null while open' }),
    resolution: t.field({ type: ModerationDecisionEnum, nullable: true, description: 'HIDDEN or DISMISSED once resolved; null while open', resolve: (r) => r.resolution }),
  }),
});

const ModerationActionRef = builder.objectRef<ModerationAction>('ModerationAction').implement({
  description: 'One entry of the moderation audit trail: who decided what about which item or comment, when and why',
  fields: (t) => ({
    id: t.id({ description: 'Its global id', resolve: (a) => encodeGlobalId('ModerationAction', a.id) }),
    decision: t.field({ type: ModerationDecisionEnum, description: 'What was decided', resolve: (a) => a.action }),
    reason: t.exposeString('reason', { description: 'Why, as the platform admin wrote it' }),
    moderator: t.field({ type: MemberRef, nullable: true, description: 'The platform admin; null for the operator at the command line or a member since removed', resolve: (a, _, ctx) => a.actorId ? ctx.loaders.member.load(a.actorId) : null }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was decided' }),
    subjectId: t.id({ description: 'The global id of the item or comment', resolve: (a) => encodeGlobalId(subjectTypename(a.subjectType), a.subjectId) }),
    subject: t.field({ type: builder.nodeInterfaceRef(), nullable: true, description: 'The item or comment; null once deleted', resolve: (a, _, ctx) => loadSubject(a.subjectType, a.subjectId, ctx) }),
  }),
});

const ReportedContentRef = builder.objectRef<ReportedSubject>('ReportedContent').implement({
  description: 'An item or comment with open reports, as the review queue lists it',
  fields: (t) => ({
    id: t.id({ description: 'Its global id (one per reported item or comment)', resolve: (s) => encodeGlobalId('ReportedContent', s.subjectId) }),
    subjectId: t.id({ description: 'The global id of the item or comment', resolve: (s) => encodeGlobalId(subjectTypename(s.subjectType), s.subjectId) }),
    subject: t.field({ type: builder.nodeInterfaceRef(), nullable: true, description: 'The item or comment; null once deleted (dismiss its reports)', resolve: (s, _, ctx) => loadSubject(s.subjectType, s.subjectId, ctx) }),
    openReports: t.exposeInt('openReports', { description: 'Open reports on it' }),
    firstReportedAt: t.expose('firstReportedAt', { type: 'DateTime', description: 'When its oldest open report was made' }),
    lastReportedAt: t.expose('lastReportedAt', { type: 'DateTime', description: 'When its newest open report was made' }),
    reports: t.field({
      type: [ContentReportRef], description: `Its open reports with their reasons, newest first (the first ${LIST_CAPS.reports})`,
      extensions: listCap(LIST_CAPS.reports), resolve: (s) => s.reports,
    }),
  }),
});

builder.queryFields((t) => ({
  moderationQueue: t.connection({
    type: ReportedContentRef,
    nullable: true,
    description: 'Platform admins: items and comments with open reports, the longest waiting first; null for anyone else',
    resolve: (_, args, ctx) => {
      if (!isPlatformAdmin(ctx.viewer)) return null;
      return resolveCursorConnection<Promise<ReportedSubject[]>>(
        { args, toCursor: (s) => encodeCursor(s.firstReportedAt, s.subjectId) },
        async (page) => (await ctx.services.moderation.queue(ctx.viewer, page)) ?? [],
      );
    },
  }),
  moderationLog: t.connection({
    type: ModerationActionRef,
    nullable: true,
    description: 'Platform admins: the moderation audit trail, newest first; null for anyone else',
    args: { subjectId: t.arg.globalID({ description: 'Only the decisions about this item or comment' }) },
    resolve: (_, args, ctx) => {
      if (!isPlatformAdmin(ctx.viewer)) return null;
      const subjectId = args.subjectId ? subjectOf(args.subjectId).id : null;
      return resolveCursorConnection<Promise<ModerationAction[]>>(
        { args, toCursor: (a) => encodeCursor(a.createdAt, a.id) },
        async (page) => (await ctx.services.moderation.log(ctx.viewer, page, subjectId)) ?? [],
      );
    },
  }),
}));

const ReportContentInput = builder.inputType('ReportContentInput', {
  description: 'What to report, and why',
  fields: (t) => ({
    subjectId: t.globalID({ required: true, description: 'A published problem, solution, case study or comment you can see' }),
    reason: t.string({ required: true, description: REASON }),
  }),
});

function moderateInput(name: string) {
  return builder.inputType(name, {
    description: 'A moderation decision about one item or comment, with its reason for the audit trail',
    fields: (t) => ({
      subjectId: t.globalID({ required: true, description: 'The problem, solution, case study or comment' }),
      reason: t.string({ required: true, description: REASON }),
    }),
  });
}

builder.mutationFields((t) => ({
  reportContent: t.field({
    type: ContentReportRef,
    description: 'Reports an item or comment to the platform admins; any member may. One open report per member and subject: the same reason again returns it, another is a CONFLICT. Appends no event',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'report', description: 'Your open report' } },
    args: { input: t.arg({ type: ReportContentInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => {
      const subject = subjectOf(input.subjectId);
      return ctx.services.moderation.report(ctx.viewer, subject.type, subject.id, input.reason);
    },
  }),
  hideContent: t.field({
    type: ModerationActionRef,
    description: 'Platform admins: hides a published item or comment and resolves its open reports. Appends `problem.hidden` (or solution, case_study, comment), a notice with no content',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'action', description: 'The decision, as the audit trail keeps it' } },
    args: { input: t.arg({ type: moderateInput('HideContentInput'), required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => {
      const subject = subjectOf(input.subjectId);
      return ctx.services.moderation.hide(ctx.viewer, subject.type, subject.id, input.reason);
    },
  }),
  restoreContent: t.field({
    type: ModerationActionRef,
    description: 'Platform admins: shows a hidden item or comment again. Appends `problem.restored` (or solution, case_study, comment)',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'action', description: 'The decision, as the audit trail keeps it' } },
    args: { input: t.arg({ type: moderateInput('RestoreContentInput'), required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => {
      const subject = subjectOf(input.subjectId);
      return ctx.services.moderation.restore(ctx.viewer, subject.type, subject.id, input.reason);
    },
  }),
  dismissReports: t.field({
    type: ModerationActionRef,
    description: 'Platform admins: closes the open reports on an item or comment without hiding it. Appends no event',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'action', description: 'The decision, as the audit trail keeps it' } },
    args: { input: t.arg({ type: moderateInput('DismissReportsInput'), required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => {
      const subject = subjectOf(input.subjectId);
      return ctx.services.moderation.dismissReports(ctx.viewer, subject.type, subject.id, input.reason);
    },
  }),
}));
