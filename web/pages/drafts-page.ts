import type { WebSession } from '../../server/auth/sessions.js';
import { linkList } from '../components.js';
import { html } from '../html.js';
import { formatDate, itemPath, KIND_PLURALS, KINDS, type Kind } from '../vocabulary.js';
import { newPath } from '../write/item-pages.js';

export const DRAFTS_PAGE_SIZE = 50;
const DRAFTS = `edges { node { id title updatedAt author { name } } } pageInfo { hasNextPage }`;
/** draftsOnly lists the signed-in member's own council's drafts and nothing else, whoever asks. */
export const DRAFTS_QUERY = `query Drafts($first: Int!) {
  problems(first: $first, filter: { draftsOnly: true }) { ${DRAFTS} }
  solutions(first: $first, filter: { draftsOnly: true }) { ${DRAFTS} }
  caseStudies(first: $first, filter: { draftsOnly: true }) { ${DRAFTS} }
}`;

interface Drafts { edges: { node: { id: string; title: string; updatedAt: string; author: { name: string } } }[]; pageInfo: { hasNextPage: boolean } }
export interface DraftsData { problems: Drafts; solutions: Drafts; caseStudies: Drafts }

const LISTS: Record<Kind, keyof DraftsData> = { PROBLEM: 'problems', SOLUTION: 'solutions', CASE_STUDY: 'caseStudies' };
const WRITE: Record<Kind, string> = { PROBLEM: 'Describe a problem', SOLUTION: 'Share a solution', CASE_STUDY: 'Write a case study' };

/** "Your council's drafts": what its members have started and not yet published. */
export function draftsPage(session: WebSession, data: DraftsData) {
  return {
    title: "Your council's drafts",
    section: 'drafts' as const,
    main: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  <span class="govuk-caption-l">${session.council.name}</span>
  <h1 class="govuk-heading-l">Your council's drafts</h1>
  <p class="govuk-body">Only members of ${session.council.name} can see these until they are published.</p>
  ${KINDS.map((kind) => {
    const list = data[LISTS[kind]];
    return html`<h2 class="govuk-heading-m">${KIND_PLURALS[kind]}</h2>
    ${linkList(list.edges.map(({ node }) => ({ href: itemPath(kind, node.id), text: node.title, after: `, by ${node.author.name}, last changed ${formatDate(node.updatedAt)}` })),
      `No draft ${KIND_PLURALS[kind].toLowerCase()}.`)}
    ${list.pageInfo.hasNextPage ? html`<p class="govuk-body">Showing the ${DRAFTS_PAGE_SIZE} newest.</p>` : ''}
    <p class="govuk-body"><a class="govuk-link" href="${newPath(kind)}">${WRITE[kind]}</a></p>`;
  })}
</div></div>`,
  };
}
