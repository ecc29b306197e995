import { html, type SafeHtml } from '../html.js';
import { councilPath, formatDate, humanise } from '../vocabulary.js';

export interface CouncilSystemData {
  id: string; category: string; supplier: string; product: string; contractEndsOn: string | null;
  councilsOnSameSystem: { name: string; slug: string }[];
}

function sameSystemUrl(system: { supplier: string; product: string }): string {
  return `/councils?${new URLSearchParams({ supplier: system.supplier, product: system.product }).toString()}`;
}

/** How many other councils on the same system the council page names before "and N more". */
const NAMED = 5;

/** The council's major systems, each with the other councils that run it (partners for buying together). */
export function systemsSection(councilName: string, systems: readonly CouncilSystemData[], manage: boolean): SafeHtml {
  return html`<h2 class="govuk-heading-m" id="systems">Systems in use</h2>
  ${systems.length === 0 ? html`<p class="govuk-body">${councilName} has not recorded the systems it uses yet.</p>` : html`
  <div class="cc-table-scroll" role="region" aria-label="Systems in use" tabindex="0">
  <table class="govuk-table"><caption class="govuk-table__caption govuk-visually-hidden">Systems ${councilName} uses</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">
    <th scope="col" class="govuk-table__header">System</th><th scope="col" class="govuk-table__header">Contract ends</th>
    <th scope="col" class="govuk-table__header">Other councils on it</th></tr></thead>
  <tbody class="govuk-table__body">${systems.map((s) => html`<tr class="govuk-table__row">
    <th scope="row" class="govuk-table__header">${s.supplier} ${s.product}<br><span class="govuk-body-s">${humanise(s.category)}</span></th>
    <td class="govuk-table__cell">${s.contractEndsOn ? formatDate(`${s.contractEndsOn}T12:00:00Z`) : 'Not given'}</td>
    <td class="govuk-table__cell">${s.councilsOnSameSystem.length === 0 ? 'None yet' : html`${s.councilsOnSameSystem.slice(0, NAMED).map((c, i) => html`${i ? ', ' : ''}<a class="govuk-link" href="${councilPath(c.slug)}">${c.name}</a>`)}${s.councilsOnSameSystem.length > NAMED ? html` and <a class="govuk-link" href="${sameSystemUrl(s)}">${s.councilsOnSameSystem.length - NAMED} more</a>` : ''}`}</td>
  </tr>`)}</tbody></table></div>`}
  ${manage ? html`<p class="govuk-body"><a class="govuk-link" href="/council/systems">Change your council's systems</a></p>` : ''}`;
}
