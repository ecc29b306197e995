import type { CaseStudy } from '../server/domain/case-studies.js';
import type { Comment } from '../server/domain/comments.js';
import type { ApiToken } from '../server/domain/api-tokens.js';
import type { Council } from '../server/domain/councils.js';
import type { ContentSummary, Summary } from '../server/domain/content.js';
import type { CouncilSystem } from '../server/domain/systems/system-model.js';
import type { Member } from '../server/domain/members.js';
import type { Problem } from '../server/domain/problems.js';
import type { Solution } from '../server/domain/solutions.js';
import { builder } from './builder.js';

// Content types may be backed by a whole item or by a listing's summary, which leaves out
// what no selected field reads (schema/content.ts), so their refs take the summary.
// References are declared here and implemented in each type's module, so modules can
// point at each other's types without import cycles.
export const CouncilRef = builder.objectRef<Council>('Council');
export const MemberRef = builder.objectRef<Member>('Member');
export const ProblemRef = builder.objectRef<Summary<Problem>>('Problem');
export const CaseStudyRef = builder.objectRef<Summary<CaseStudy>>('CaseStudy');
export const CommentRef = builder.objectRef<Comment>('Comment');
export const ContentRef = builder.interfaceRef<ContentSummary>('Content');
export const SolutionRef = builder.objectRef<Summary<Solution>>('Solution');
export const ApiTokenRef = builder.objectRef<ApiToken>('ApiToken');
export const CouncilSystemRef = builder.objectRef<CouncilSystem>('CouncilSystem');
