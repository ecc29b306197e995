import { NATIONS_AND_REGIONS } from '../../server/domain/councils.js';
import { pagination } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { councilPath, humanise } from '../vocabulary.js';
import {
  CONTRACT_MONTHS, DIRECTORY_KINDS, directoryUrl, type CouncilDirectoryData, type DirectoryCouncil, type DirectoryState,
} from './council-directory-query.js';

/** Every council, filtered by region, type and the systems it runs with a plain GET form, with what each has done. */
export function councilDirectoryPage(state: DirectoryState, data: CouncilDirectoryData): { title: string; main: SafeHtml } {
  const { edges, pageInfo } = data.councils;
  const filtered = state.regions.length > 0 || state.kinds.length > 0 || state.supplier !== '' || state.months !== null;
  const main = html`
<h1 class="govuk-heading-l">Councils</h1>
<p class="govuk-body">Every council on the hub, with what it has published, the other councils' problems it shares and the solutions it has adopted. Find councils near you or like yours to work with.</p>
<div class="govuk-grid-row">
  <form method="get" action="/councils" class="govuk-grid-column-one-third" aria-label="Filter councils">
    <h2 class="govuk-heading-m">Filter councils</h2>
    ${checkboxes('region', 'Region', NATIONS_AND_REGIONS.map((r) => ({ value: r, text: r })), state.regions)}
    ${checkboxes('kind', 'Council type', DIRECTORY_KINDS.map((k) => ({ value: k, text: humanise(k) })), state.kinds)}
    ${systemFilters(state)}
    <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Apply filters</button>
    ${filtered ? html`<p class="govuk-body"><a class="govuk-link" href="/councils">Clear all filters</a></p>` : ''}
  </form>
  <div class="govuk-grid-column-two-thirds">
    <h2 class="govuk-heading-m" id="councils-found">${edges.length === 0 ? 'No councils match' : filtered ? 'Councils that match' : 'All councils'}</h2>
    ${edges.length === 0
      ? html`<p class="govuk-body">No council is in the regions and types you chose. <a class="govuk-link" href="/councils">Clear the filters</a> to see every council.</p>`
      : html`<ul class="govuk-list cc-results" aria-labelledby="councils-found">${edges.map(({ node }) => councilItem(node))}</ul>`}
    ${pagination({
      ...(pageInfo.hasPreviousPage && pageInfo.startCursor ? { previous: directoryUrl(state, { before: pageInfo.startCursor }) } : {}),
      ...(pageInfo.hasNextPage && pageInfo.endCursor ? { next: directoryUrl(state, { after: pageInfo.endCursor }) } : {}),
      pages: [],
    })}
    <p class="govuk-body">The same figures, row by row, are in the <a class="govuk-link" href="/data">open data</a>.</p>
  </div>
</div>`;
  return { title: filtered ? 'Councils (filtered)' : 'Councils', main };
}

/** "Councils on the same system" (supplier and product) and "contracts ending within N months". */
function systemFilters(state: DirectoryState): SafeHtml {
  return html`<div class="govuk-form-group"><fieldset class="govuk-fieldset">
  <legend class="govuk-fieldset__legend govuk-fieldset__legend--s"><h3 class="govuk-fieldset__heading">On the same system</h3></legend>
  <div id="system-hint" class="govuk-hint">Give both, as the council pages spell them</div>
  <div class="govuk-form-group"><label class="govuk-label" for="supplier">Supplier</label>
    <input class="govuk-input" id="supplier" name="supplier" type="text" value="${state.supplier}" aria-describedby="system-hint"></div>
  <div class="govuk-form-group"><label class="govuk-label" for="product">Product</label>
    <input class="govuk-input" id="product" name="product" type="text" value="${state.product}" aria-describedby="system-hint"></div>
  </fieldset></div>
  <div class="govuk-form-group"><label class="govuk-label govuk-label--s" for="months">Contract ending within</label>
  <select class="govuk-select" id="months" name="months"><option value="">Any time</option>${CONTRACT_MONTHS.map((m) => html`<option value="${m}"${state.months === m ? html` selected` : ''}>${m} months</option>`)}</select></div>`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function councilItem(council: DirectoryCouncil): SafeHtml {
  const { counts } = council;
  return html`<li class="cc-council">
  <h3 class="govuk-heading-s govuk-!-margin-bottom-1"><a class="govuk-link" href="${councilPath(council.slug)}">${council.name}</a></h3>
  <p class="govuk-body-s govuk-!-margin-bottom-1">${humanise(council.kind)}, ${council.region}</p>
  <ul class="govuk-list govuk-body-s cc-result__meta">
    <li>Published ${plural(counts.problems, 'problem', 'problems')}, ${plural(counts.solutions, 'solution', 'solutions')}, ${plural(counts.caseStudies, 'case study', 'case studies')}</li>
    <li>Shares ${plural(counts.supports, 'problem', 'problems')}</li>
    <li>Adopted ${plural(counts.adopted, 'solution', 'solutions')}</li>
  </ul>
</li>`;
}

function checkboxes(name: string, legend: string, items: readonly { value: string; text: string }[], chosen: readonly string[]): SafeHtml {
  return html`<div class="govuk-form-group"><fieldset class="govuk-fieldset">
  <legend class="govuk-fieldset__legend govuk-fieldset__legend--s"><h3 class="govuk-fieldset__heading">${legend}</h3></legend>
  <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">${items.map((item, i) => html`<div class="govuk-checkboxes__item">
    <input class="govuk-checkboxes__input" id="${name}-${i}" name="${name}" type="checkbox" value="${item.value}"${chosen.includes(item.value) ? html` checked` : ''}>
    <label class="govuk-label govuk-checkboxes__label" for="${name}-${i}">${item.text}</label></div>`)}</div>
</fieldset></div>`;
}
