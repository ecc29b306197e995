import { publicPayload } from '../server/events/public-payload.js';
import { mentionsOf, withoutWithdrawn } from '../server/events/withdrawn.js';
import { resolveCursorConnection } from '@pothos/plugin-relay';
import { GraphQLError, isObjectType } from 'graphql';
import { EVENT_TYPES, type EventType, type StoredEvent } from '../server/events/catalogue.js';
import { parsePosition } from '../server/events/event-feed.js';
import type { EventFilter } from '../server/events/filter.js';
import { ValidationError } from '../server/kernel/errors.js';
import { SOURCE_ONLY_ARGUMENTS } from '../server/http/subscription-key.js';
import { builder } from './builder.js';
import { VisibilityEnum } from './content.js';
import { encodeGlobalId, subjectTypename } from '../server/kernel/global-id.js';
import { must } from '../server/kernel/must.js';
import { CouncilRef } from './refs.js';
import { ServiceAreaEnum } from './service-area.js';
import { CaseStudyOutcomeEnum } from './case-study-outcome.js';
import { CouncilKindEnum } from './council.js';
import { SolutionPhaseEnum } from './solution.js';
import { NATIONS_AND_REGIONS } from '../server/domain/councils.js';
import { InputChecker } from '../server/domain/input-checker.js';
import { checkRegions } from '../server/domain/region-filter.js';

builder.scalarType('Position', {
  description: 'A place in the event log. Every event has one; positions only grow, in commit order. '
    + 'Give the last one you saw as `after` to resume without a gap or a repeat. '
    + 'Sent as a JSON number (a whole number below 2^53); accepted as a number or as a string of digits, '
    + 'so a cursor of the `events` query (the position as a string) can be given as `after` too.',
  serialize: (value) => value,
  parseValue: (value) => {
    try {
      return parsePosition(value as string | number, 'after');
    } catch {
      throw new GraphQLError('Position must be a whole number from 0');
    }
  },
});

builder.scalarType('JSON', {
  description: 'Any JSON value (RFC 8259), sent as JSON itself, not as a string holding JSON',
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc8259',
  serialize: (value) => value,
  parseValue: (value) => value,
});

const EVENT_DESCRIPTIONS: Record<EventType, string> = {
  'problem.created': 'A problem was drafted',
  'problem.updated': 'A problem was edited',
  'problem.published': 'A problem was published',
  'problem.status_changed': "A problem's status changed (with PROBLEM_UPDATED)",
  'problem.archived': 'A problem was archived',
  'problem.supported': 'A council said "we have this too", or changed its note',
  'problem.support_withdrawn': 'A council withdrew its support',
  'problem.nudged': "A problem's council admins were asked whether it is still current (its council only)",
  'problem.marked_out_of_date': 'A nudge about a problem went unanswered: it may be out of date',
  'problem.confirmed_current': 'Its council confirmed a problem is still current (counts as a change)',
  'problem.hidden': 'A platform admin hid a problem (moderation): a public notice with no content, so copies elsewhere can be removed; its later events stay within its council until it is restored',
  'problem.restored': 'A platform admin restored a problem hidden by moderation (the payload is as on publication)',
  'solution.created': 'A solution was drafted',
  'solution.updated': 'A solution was edited',
  'solution.published': 'A solution was published',
  'solution.archived': 'A solution was archived',
  'solution.adopted': 'A council recorded or changed its stage with a solution (any AdoptionStage)',
  'solution.linked': 'A solution was linked to a problem',
  'solution.unlinked': 'A solution was unlinked from a problem',
  'solution.nudged': "A solution's council admins were asked whether it is still current (its council only)",
  'solution.marked_out_of_date': 'A nudge about a solution went unanswered: it may be out of date',
  'solution.confirmed_current': 'Its council confirmed a solution is still current (counts as a change)',
  'solution.hidden': 'A platform admin hid a solution (moderation): a public notice with no content, so copies elsewhere can be removed; its later events stay within its council until it is restored',
  'solution.restored': 'A platform admin restored a solution hidden by moderation (the payload is as on publication)',
  'case_study.created': 'A case study was drafted',
  'case_study.updated': 'A case study was edited, or its links changed',
  'case_study.published': 'A case study was published',
  'case_study.archived': 'A case study was archived',
  'case_study.hidden': 'A platform admin hid a case study (moderation): a public notice with no content, so copies elsewhere can be removed; its later events stay within its council until it is restored',
  'case_study.restored': 'A platform admin restored a case study hidden by moderation (the payload is as on publication)',
  'comment.added': 'A comment was added (its target is what it is about)',
  'comment.edited': 'Its author edited a comment (the payload holds the new body)',
  'comment.deleted': 'A comment was deleted by its author or an admin of the author\'s council (the payload holds no body)',
  'comment.hidden': 'A platform admin hid a comment (moderation; the payload holds no body)',
  'comment.restored': 'A platform admin restored a hidden comment (the payload holds its body, as on comment.added)',
  'council.created': 'A council joined the hub',
  'council.updated': "A council's details changed",
  'member.added': 'A member was added to a council (their council only)',
  'member.updated': "A member's role changed (their council only)",
  'member.removed': 'A member was removed (their council only)',
  'api_token.created': 'An API token was issued (its member and their council\'s admins only)',
  'api_token.revoked': 'An API token was revoked (its member and their council\'s admins only)',
  'webhook_endpoint.created': 'A webhook endpoint was registered (council admins only)',
  'webhook_endpoint.updated': 'A webhook endpoint was changed (council admins only)',
  'webhook_endpoint.secret_rotated': "A webhook endpoint's signing secret was rotated (council admins only)",
  'webhook_endpoint.disabled': 'A webhook endpoint was disabled after its deliveries kept failing (council admins only)',
  'webhook_endpoint.deleted': 'A webhook endpoint was deleted (council admins only)',
};

export const EventTypeEnum = builder.enumType('EventType', {
  description: 'What happened: aggregate and past tense, e.g. PROBLEM_PUBLISHED for problem.published',
  values: Object.fromEntries(EVENT_TYPES.map((type) => [type.replace('.', '_').toUpperCase(), { value: type, description: EVENT_DESCRIPTIONS[type] }])) as
    Record<string, { value: EventType; description: string }>,
});

export const EventRef = builder.objectRef<StoredEvent>('Event').implement({
  description: 'One entry of the event log: something that happened to a problem, solution, case study, comment, council or member',
  fields: (t) => ({
    position: t.field({ type: 'Position', description: 'Its place in the log; give the last one you saw as `after` to resume', resolve: (event) => event.position }),
    type: t.field({ type: EventTypeEnum, description: 'What happened', resolve: (event) => event.type }),
    occurredAt: t.expose('createdAt', { type: 'DateTime', description: 'When the change committed' }),
    visibility: t.field({ type: VisibilityEnum, description: 'DRAFT when only the owning council may see it', resolve: (event) => event.visibility }),
    subjectId: t.id({
      description: 'The global ID of what the event is about, even when `subject` is null',
      resolve: (event) => encodeGlobalId(subjectTypename(event.subjectType), event.subjectId),
    }),
    subject: t.node({
      description: 'What the event is about, as it is now; null if you may no longer see it',
      // Resolved through the Node interface, so each type's own loader and visibility
      // rules apply, and new node types work here as soon as they exist.
      id: (event, _, __, info) => {
        const typename = subjectTypename(event.subjectType);
        const type = info.schema.getType(typename);
        const isNode = isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node');
        return isNode ? encodeGlobalId(typename, event.subjectId) : null;
      },
    }),
    council: t.field({
      type: CouncilRef,
      description: 'The council that owns the subject',
      resolve: (event, _, ctx) => ctx.loaders.council.load(event.councilId).then(must),
    }),
    payload: t.field({
      type: 'JSON',
      description: 'The event as it was recorded, versioned by `v`, in the API\'s spellings: enum values as in the schema (`WASTE`), ids as global ids. Content events carry title, summary, serviceArea, tags, status and version, and (since the facets were added) region and councilKind of the owning council; solution events a phase and case study events an outcome. '
        + 'Words no longer shown are left out: while an item is hidden by moderators its title, summary and tags (and its title in comment and link events), and the body of a comment hidden or deleted since',
      resolve: async (event, _, ctx) => {
        const mentions = mentionsOf(event);
        const flags = await ctx.loaders.withdrawnMention.loadMany(mentions.map((m) => `${m.kind}:${m.id}`));
        return publicPayload(withoutWithdrawn(event, new Set(mentions.filter((_, i) => flags[i] === true).map((m) => m.id))));
      },
    }),
  }),
});

const MAX_FILTER_VALUES = 100;

/** The `regions` filter of events and webhooks, said once. */
export const REGIONS = `Content events about items of councils in any of these regions, spelled as \`Council.region\` is (${NATIONS_AND_REGIONS.length} values; another is a \`VALIDATION_FAILED\` error). Events recorded before this filter existed carry no region and never match`;

const EventFilterInput = builder.inputType('EventFilterInput', {
  description: `Each list given narrows the events; within a list any value matches. A list holds at most ${MAX_FILTER_VALUES} values`,
  fields: (t) => ({
    types: t.field({ type: [EventTypeEnum], description: 'Events of any of these types' }),
    councilIds: t.globalIDList({ for: [CouncilRef], description: 'Events about content owned by any of these councils' }),
    serviceAreas: t.field({ type: [ServiceAreaEnum], description: 'Content events in any of these service areas' }),
    regions: t.stringList({ description: REGIONS }),
    councilKinds: t.field({ type: [CouncilKindEnum], description: 'Content events about items of councils of any of these kinds' }),
    phases: t.field({ type: [SolutionPhaseEnum], description: 'Solution events about solutions in any of these delivery phases' }),
    outcomes: t.field({ type: [CaseStudyOutcomeEnum], description: 'Case study events about case studies with any of these outcomes' }),
    tags: t.stringList({ description: 'Content events carrying any of these tags' }),
    subjectIds: t.globalIDList({
      description: 'Events about any of these nodes, including events that target them (a comment on a problem)',
    }),
  }),
});

const ContentEventFilterInput = builder.inputType('ContentEventFilterInput', {
  description: `Narrows a publishing subscription; each list given must match, any value within it. A list holds at most ${MAX_FILTER_VALUES} values`,
  fields: (t) => ({
    councilIds: t.globalIDList({ for: [CouncilRef], description: 'Published by any of these councils' }),
    serviceAreas: t.field({ type: [ServiceAreaEnum], description: 'In any of these service areas' }),
    regions: t.stringList({ description: REGIONS }),
    councilKinds: t.field({ type: [CouncilKindEnum], description: 'Content events about items of councils of any of these kinds' }),
    phases: t.field({ type: [SolutionPhaseEnum], description: 'Solution events about solutions in any of these delivery phases' }),
    outcomes: t.field({ type: [CaseStudyOutcomeEnum], description: 'Case study events about case studies with any of these outcomes' }),
    tags: t.stringList({ description: 'Carrying any of these tags' }),
  }),
});

interface FilterArgs {
  types?: EventType[] | null;
  councilIds?: { id: string }[] | null;
  serviceAreas?: string[] | null;
  regions?: string[] | null;
  councilKinds?: string[] | null;
  phases?: string[] | null;
  outcomes?: string[] | null;
  tags?: string[] | null;
  subjectIds?: { id: string }[] | null;
}

export function toEventFilter(filter: FilterArgs | null | undefined, types?: EventType[]): EventFilter {
  for (const [field, list] of Object.entries(filter ?? {})) {
    if (Array.isArray(list) && list.length > MAX_FILTER_VALUES) {
      throw new ValidationError([{ field: `filter.${field}`, message: `may hold at most ${MAX_FILTER_VALUES} values` }]);
    }
  }
  const check = new InputChecker();
  const regions = checkRegions(check, 'filter.regions', filter?.regions);
  check.check();
  return {
    types: types ?? filter?.types,
    councilIds: filter?.councilIds?.map((c) => c.id),
    serviceAreas: filter?.serviceAreas,
    regions,
    councilKinds: filter?.councilKinds,
    phases: filter?.phases,
    outcomes: filter?.outcomes,
    tags: filter?.tags?.map((tag) => tag.trim().toLowerCase()),
    subjectIds: filter?.subjectIds?.map((s) => s.id),
  };
}

const AFTER = 'Replay every matching event after this position first, then continue live';

function published(name: string, type: EventType, description: string) {
  builder.subscriptionField(name, (t) =>
    t.field({
      type: EventRef,
      description,
      args: { filter: t.arg({ type: ContentEventFilterInput, description: 'Default: every one' }), after: t.arg({ type: 'Position', description: AFTER }) },
      subscribe: (_, args, ctx) => ctx.services.events.stream(ctx.viewer, toEventFilter(args.filter, [type]), args.after, ctx.replayAllowance),
      resolve: (event) => event,
      extensions: { [SOURCE_ONLY_ARGUMENTS]: true },
    }));
}

builder.subscriptionFields((t) => ({
  events: t.field({
    type: EventRef,
    description: 'Events you may see, in position order, each once. Drafts reach only members of the owning council.',
    args: { filter: t.arg({ type: EventFilterInput, description: 'Default: every event you may see' }), after: t.arg({ type: 'Position', description: AFTER }) },
    subscribe: (_, args, ctx) => ctx.services.events.stream(ctx.viewer, toEventFilter(args.filter), args.after, ctx.replayAllowance),
    resolve: (event) => event,
    extensions: { [SOURCE_ONLY_ARGUMENTS]: true },
  }),
  commentAdded: t.field({
    type: EventRef,
    description: 'Comments added to one problem, solution or case study',
    args: { subjectId: t.arg.globalID({ required: true, description: 'The problem, solution or case study' }), after: t.arg({ type: 'Position', description: AFTER }) },
    subscribe: (_, args, ctx) => ctx.services.events.stream(ctx.viewer,
      toEventFilter({ subjectIds: [args.subjectId] }, ['comment.added']), args.after, ctx.replayAllowance),
    resolve: (event) => event,
    extensions: { [SOURCE_ONLY_ARGUMENTS]: true },
  }),
}));

published('problemPublished', 'problem.published', 'Problems as they are published');
published('solutionPublished', 'solution.published', 'Solutions as they are published');
published('caseStudyPublished', 'case_study.published', 'Case studies as they are published');

builder.queryField('events', (t) =>
  t.connection({
    type: EventRef,
    description: 'The event log, oldest first, for catch-up and audit. A cursor is the event\'s position as a string.',
    args: { filter: t.arg({ type: EventFilterInput, description: 'Default: every event you may see' }) },
    resolve: (_, args, ctx) => {
      const filter = toEventFilter(args.filter);
      const at = (cursor: string | undefined, field: string) => cursor === undefined ? undefined : parsePosition(cursor, field);
      return resolveCursorConnection<Promise<StoredEvent[]>>({ args, toCursor: (event) => String(event.position) }, ({ after, before, limit, inverted }) =>
        ctx.services.events.page(ctx.viewer, filter, { after: at(after, 'after'), before: at(before, 'before'), limit, inverted }));
    },
  }),
);
