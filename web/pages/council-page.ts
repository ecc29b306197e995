import { linkList, summaryList, tag } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { isSafeUrl } from '../markdown.js';
import { adoptionStageTag, humanise, itemPath, type Kind } from '../vocabulary.js';
import { systemsSection, type CouncilSystemData } from './council-systems-section.js';
import { contactsSection, type CouncilContact } from './contact-pages.js';

export const COUNCIL_QUERY = `query CouncilPage($slug: String!) {
  council(slug: $slug) {
    id name kind region gssCode website
    supportedProblems { id title council { name } }
    adoptions { stage note solution { id title council { name } } }
    systems { id category supplier product contractEndsOn councilsOnSameSystem { name slug } }
    contacts { name email serviceAreas member { id } }
  }
  serviceAreas { code name }
}`;

const PUBLISHED = 'edges { node { id title } } pageInfo { hasNextPage }';
export const COUNCIL_PUBLISHED_QUERY = `query CouncilPublished($councils: [ID!]!) {
  problems(first: 50, filter: { councilIds: $councils }) { ${PUBLISHED} }
  solutions(first: 50, filter: { councilIds: $councils }) { ${PUBLISHED} }
  caseStudies(first: 50, filter: { councilIds: $councils }) { ${PUBLISHED} }
}`;

interface Titled { id: string; title: string; council?: { name: string } }
interface Listing { edges: { node: Titled }[]; pageInfo: { hasNextPage: boolean } }

export interface CouncilData {
  council: {
    id: string; name: string; kind: string; region: string; gssCode: string | null; website: string | null;
    supportedProblems: Titled[];
    adoptions: { stage: string; note: string | null; solution: Titled }[];
    systems: CouncilSystemData[];
    /** Null for anonymous visitors: contacts are for signed-in members only. */
    contacts: CouncilContact[] | null;
  } | null;
  serviceAreas: { code: string; name: string }[];
}

export interface CouncilPublishedData { problems: Listing; solutions: Listing; caseStudies: Listing }

/** What a council has published, the problems it shares and the solutions it has taken up. */
export function councilPage(council: NonNullable<CouncilData['council']>, published: CouncilPublishedData, follow?: SafeHtml, manageSystems = false,
  serviceAreas: CouncilData['serviceAreas'] = []): { title: string; main: SafeHtml } {
  const section = (kind: Kind, heading: string, listing: Listing) => html`
    <h3 class="govuk-heading-s">${heading}</h3>
    ${linkList(listing.edges.map(({ node }) => ({ href: itemPath(kind, node.id), text: node.title })), `No ${heading.toLowerCase()} published yet.`)}
    ${listing.pageInfo.hasNextPage ? html`<p class="govuk-body"><a class="govuk-link" href="/?kind=${kind}&amp;council=${encodeURIComponent(council.id)}">See all ${heading.toLowerCase()} from ${council.name}</a></p>` : ''}`;
  const main = html`
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  <span class="govuk-caption-l">Council</span>
  <h1 class="govuk-heading-l">${council.name}</h1>
  ${summaryList([
    { key: 'Type', value: humanise(council.kind) },
    { key: 'Region', value: council.region },
    ...(council.gssCode ? [{ key: 'GSS code', value: council.gssCode }] : []),
    ...(council.website ? [{ key: 'Website', value: isSafeUrl(council.website) ? html`<a class="govuk-link" href="${council.website}" rel="noopener noreferrer">${council.website}</a>` : council.website }] : []),
  ])}
  <p class="govuk-body"><a class="govuk-link" href="/?council=${encodeURIComponent(council.id)}">Search everything ${council.name} has published</a></p>
  ${follow ?? ''}
  ${contactsSection(council.contacts, serviceAreas)}
  ${systemsSection(council.name, council.systems, manageSystems)}
  <h2 class="govuk-heading-m" id="published">Published</h2>
  ${section('PROBLEM', 'Problems', published.problems)}
  ${section('SOLUTION', 'Solutions', published.solutions)}
  ${section('CASE_STUDY', 'Case studies', published.caseStudies)}
  <h2 class="govuk-heading-m" id="shares">Problems it shares with other councils</h2>
  ${linkList(council.supportedProblems.map((p) => ({ href: itemPath('PROBLEM', p.id), text: p.title, after: ` (${p.council?.name})` })),
    'It has not said it shares any other council’s problem yet.')}
  <h2 class="govuk-heading-m" id="adopted">Solutions it has adopted or is trying</h2>
  ${linkList(council.adoptions.map((a) => ({ href: itemPath('SOLUTION', a.solution.id), text: a.solution.title,
    after: html` (${a.solution.council?.name}) ${adoptionStageTag(a.stage)}` })),
    'It has not recorded adopting any solution yet.')}
</div></div>`;
  return { title: council.name, main };
}
