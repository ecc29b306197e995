import type { Context } from '../server/context.js';
import { encodeCommentCursor } from '../server/domain/comment-pages.js';
import type { Comment, CommentSubjectType } from '../server/domain/comments.js';
import type { ContentItem } from '../server/domain/content.js';
import { ValidationError } from '../server/kernel/errors.js';
import { builder } from './builder.js';
import { INPUT_ARG, MUTATION_ERRORS } from './errors.js';
import { must } from '../server/kernel/must.js';
import { CONNECTION_PAGE } from './page-size-plugin.js';
import { CommentRef, ContentRef, CouncilRef, MemberRef } from './refs.js';

const SUBJECT_TYPES: Record<string, CommentSubjectType> = { Problem: 'problem', Solution: 'solution', CaseStudy: 'case_study' };
const DEFAULT_PAGE = 20;

/** The subject of a visible comment is visible too: a miss is a bug, not a client error. */
async function loadSubject(comment: Comment, ctx: Context): Promise<ContentItem> {
  switch (comment.subjectType) {
    case 'problem': return must(await ctx.loaders.problem.load(comment.subjectId));
    case 'solution': return must(await ctx.loaders.solution.load(comment.subjectId));
    case 'case_study': return must(await ctx.loaders.caseStudy.load(comment.subjectId));
  }
}

builder.node(CommentRef, {
  id: { resolve: (comment) => comment.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'subjectType' in value && 'body' in value,
  loadMany: (ids, ctx) => ids.map((id) => ctx.loaders.comment.load(id)),
  description: 'A comment on a problem, solution or case study; visible to whoever can see its subject',
  fields: (t) => ({
    body: t.exposeString('body', { description: 'Markdown' }),
    author: t.field({ type: MemberRef, description: 'Who wrote it', resolve: (c, _, ctx) => ctx.loaders.member.load(c.authorId).then(must) }),
    council: t.field({
      type: CouncilRef,
      description: "The commenter's council",
      resolve: (c, _, ctx) => ctx.loaders.council.load(c.councilId).then(must),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was written' }),
    editedAt: t.expose('editedAt', { type: 'DateTime', nullable: true, description: 'When its author last edited it; null if never edited' }),
    hidden: t.boolean({ description: 'True while platform admins have it hidden (moderation); only platform admins ever see a hidden comment', resolve: (c) => c.hiddenAt !== null }),
    subject: t.field({ type: ContentRef, description: 'What the comment is about', resolve: (c, _, ctx) => loadSubject(c, ctx) }),
  }),
});

const CommentConnection = builder.connectionObject(
  { type: CommentRef, name: 'CommentConnection' },
  { name: 'CommentEdge' },
);

builder.interfaceFields(ContentRef, (t) => ({
  comments: t.field({
    type: CommentConnection,
    description: 'Comments, oldest first',
    args: {
      first: t.arg.int({
        defaultValue: DEFAULT_PAGE,
        description: `Comments on this page: from ${CONNECTION_PAGE.min} to ${CONNECTION_PAGE.max} (more is a \`VALIDATION_FAILED\` error). Default: ${DEFAULT_PAGE}`,
      }),
      after: t.arg.string({ description: 'The endCursor of the page before' }),
    },
    resolve: async (item, args, ctx) => {
      // PageSizePlugin has refused a `first` outside CONNECTION_PAGE.
      const limit = args.first ?? DEFAULT_PAGE;
      // One more than asked tells whether another page follows.
      const rows = await ctx.loaders.commentPage.load({ subject: item, after: args.after, limit: limit + 1 });
      const edges = rows.slice(0, limit).map((node) => ({ cursor: encodeCommentCursor(node), node }));
      return {
        edges,
        pageInfo: {
          hasNextPage: rows.length > limit,
          // The cursor holds the position itself, so this holds even if its comment was deleted since.
          hasPreviousPage: args.after !== null && args.after !== undefined,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  }),
  commentCount: t.int({ description: 'Comments on it, in all', resolve: (item, _, ctx) => ctx.loaders.commentCount.load(item.id) }),
}));

const AddCommentInput = builder.inputType('AddCommentInput', {
  description: 'A comment on something you can see',
  fields: (t) => ({
    subjectId: t.globalID({ required: true, description: 'The problem, solution or case study' }),
    body: t.string({ required: true, description: 'Markdown, 1 to 10,000 characters' }),
  }),
});

builder.mutationField('addComment', (t) =>
  t.field({
    type: CommentRef,
    description: 'Comments on a problem, solution or case study you can see; any member may comment',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'comment', description: 'The comment added' } },
    args: { input: t.arg({ type: AddCommentInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => {
      const subjectType = SUBJECT_TYPES[input.subjectId.typename];
      if (!subjectType) throw new ValidationError([{ field: 'subjectId', message: 'must be the ID of a problem, solution or case study' }]);
      return ctx.services.comments.add(ctx.viewer, subjectType, input.subjectId.id, input.body);
    },
  }),
);

const EditCommentInput = builder.inputType('EditCommentInput', {
  description: 'New words for a comment you wrote',
  fields: (t) => ({
    id: t.globalID({ for: [CommentRef], required: true, description: 'A comment you wrote' }),
    body: t.string({ required: true, description: 'Markdown, 1 to 10,000 characters' }),
  }),
});

const DeleteCommentInput = builder.inputType('DeleteCommentInput', {
  description: 'The comment to delete',
  fields: (t) => ({
    id: t.globalID({ for: [CommentRef], required: true, description: "A comment you wrote, or (council admins) one a member of your council wrote" }),
  }),
});

builder.mutationFields((t) => ({
  editComment: t.field({
    type: CommentRef,
    description: 'Changes the words of a comment you wrote (only its author may); appends `comment.edited`',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'comment', description: 'The comment as edited' } },
    args: { input: t.arg({ type: EditCommentInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.comments.edit(ctx.viewer, input.id.id, input.body),
  }),
  deleteComment: t.field({
    type: CommentRef,
    description: "Deletes a comment you wrote; a council's admins may delete any comment its members wrote. Appends `comment.deleted`",
    errors: { types: MUTATION_ERRORS, dataField: { name: 'comment', description: 'The comment as it was' } },
    args: { input: t.arg({ type: DeleteCommentInput, required: true, description: INPUT_ARG }) },
    resolve: (_, { input }, ctx) => ctx.services.comments.delete(ctx.viewer, input.id.id),
  }),
}));
