import { linkList } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { itemPath, KIND_PLURALS, KINDS, type Kind } from '../vocabulary.js';

const LATEST = 'edges { node { id title council { name } } }';
export const SERVICE_AREA_QUERY = `query ServiceAreaPage($areas: [ServiceArea!]!) {
  serviceAreas { code name }
  problems(first: 10, filter: { serviceAreas: $areas }) { ${LATEST} }
  solutions(first: 10, filter: { serviceAreas: $areas }) { ${LATEST} }
  caseStudies(first: 10, filter: { serviceAreas: $areas }) { ${LATEST} }
}`;

interface Latest { edges: { node: { id: string; title: string; council: { name: string } } }[] }
export interface ServiceAreaData {
  serviceAreas: { code: string; name: string }[];
  problems: Latest; solutions: Latest; caseStudies: Latest;
}

const LISTS: Record<Kind, keyof Omit<ServiceAreaData, 'serviceAreas'>> = { PROBLEM: 'problems', SOLUTION: 'solutions', CASE_STUDY: 'caseStudies' };

/** A service area: the latest work published in it, and (signed in) a button to follow it. */
export function serviceAreaPage(area: { code: string; name: string }, data: ServiceAreaData, follow?: SafeHtml): { title: string; main: SafeHtml } {
  return {
    title: area.name,
    main: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  <span class="govuk-caption-l">Service area</span>
  <h1 class="govuk-heading-l">${area.name}</h1>
  <p class="govuk-body"><a class="govuk-link" href="/?area=${area.code}">Search everything councils have shared about ${area.name.toLowerCase()}</a></p>
  ${follow ?? ''}
  <h2 class="govuk-heading-m">Latest</h2>
  ${KINDS.map((kind) => html`<h3 class="govuk-heading-s">${KIND_PLURALS[kind]}</h3>
  ${linkList(data[LISTS[kind]].edges.map(({ node }) => ({ href: itemPath(kind, node.id), text: node.title, after: ` (${node.council.name})` })), `No ${KIND_PLURALS[kind].toLowerCase()} published here yet.`)}`)}
</div></div>`,
  };
}

export function serviceAreaPath(code: string): string {
  return `/service-areas/${code.toLowerCase().replaceAll('_', '-')}`;
}
