import { facetCheckboxes, linkList, notificationBanner, pagination, tag, type CheckboxItem } from '../components.js';
import { html, safeHighlight, type SafeHtml } from '../html.js';
import {
  FILTER_PARAMS, hasFilters, LAST_PAGE, PAGE_SIZE, searchUrl, withoutFilter, type FilterName, type SearchState,
  OUT_OF_DATE,
} from '../search-state.js';
import { councilPath, formatDate, humanise, itemPath, KIND_COLOURS, KIND_LABELS } from '../vocabulary.js';
import type { SearchHitData, SearchPageData } from './search-query.js';
import type { Suggestions } from './suggestions.js';

const TAGS_SHOWN = 12;
const FOLD_AFTER = 5;

/** The search page: query box, filters with counts, highlighted results, pagination, live notice. */
export function searchPage(state: SearchState, data: SearchPageData, suggestions?: Suggestions): { title: string; main: SafeHtml; mainAttributes: SafeHtml } {
  const { search } = data;
  const areaNames = new Map(data.serviceAreas.map((a) => [a.code, a.name]));
  const title = `${state.q ? `Search results for ‘${state.q}’` : 'Search prior work'}${state.page > 1 ? ` (page ${state.page})` : ''}`;
  const live = {
    q: state.q, kinds: state.kinds, serviceAreas: state.areas, councilIds: state.councils, statuses: state.statuses, tags: state.tags,
    regions: state.regions, councilKinds: state.councilKinds, phases: state.phases, outcomes: state.outcomes,
  };
  const mainAttributes = html` data-live-search="${JSON.stringify(live)}" data-live-after="${data.indexerStatus.head}"`;
  const main = html`
<div class="govuk-grid-row">
  <div class="govuk-grid-column-full">
    <h1 class="govuk-heading-l">${state.q ? html`Search results for <span class="cc-query">‘${state.q}’</span>` : 'Search prior work'}</h1>
    ${notificationBanner('New items', html`<p class="govuk-notification-banner__heading"><span data-live-count>0 new items match</span> your search. <a class="govuk-notification-banner__link" href="${searchUrl(state)}">Refresh the results</a>.</p>`, { id: 'live-notice', hidden: true })}
    <div class="govuk-visually-hidden" aria-live="polite" data-live-announce></div>
  </div>
</div>
<form method="get" action="/" class="govuk-grid-row" role="search" aria-label="Problems, solutions and case studies">
  <div class="govuk-grid-column-full">
    <div class="govuk-form-group">
      <label class="govuk-label govuk-label--s" for="q">Search problems, solutions and case studies</label>
      <div class="govuk-hint" id="q-hint">For example, missed bins or EHCP annual review</div>
      <div class="cc-search">
        <input class="govuk-input cc-search__input" id="q" name="q" type="search" value="${state.q}" aria-describedby="q-hint" spellcheck="false" autocomplete="off">
        <button type="submit" class="govuk-button cc-search__button" data-module="govuk-button">Search</button>
      </div>
    </div>
  </div>
  <div class="govuk-grid-column-one-third">
    <h2 class="govuk-heading-m">Filter results</h2>
    ${filters(state, data, areaNames)}
    <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Apply filters</button>
    ${hasFilters(state) ? html`<p class="govuk-body"><a class="govuk-link" href="${withoutFilter(state)}">Clear all filters</a></p>` : ''}
  </div>
  <div class="govuk-grid-column-two-thirds">
    ${search.totalCount === 0 ? noResults(state, data, areaNames, suggestions) : results(state, data, areaNames)}
  </div>
</form>`;
  return { title, main, mainAttributes };
}

function filters(state: SearchState, data: SearchPageData, areaNames: Map<string, string>): SafeHtml {
  const { facets } = data.search;
  const councilNames = new Map(data.selectedCouncils.flatMap((c) => (c ? [[c.id, c.name] as const] : [])));
  for (const { council } of facets.councils) councilNames.set(council.id, council.name);
  const tags = facets.tags.slice(0, TAGS_SHOWN);
  return html`
    ${facetCheckboxes('kind', 'Type', withSelected(state.kinds, facets.kinds.map((f) => ({ value: f.kind, count: f.count })), (v) => KIND_LABELS[v as keyof typeof KIND_LABELS] ?? v))}
    ${facetCheckboxes('area', 'Service area', withSelected(state.areas, facets.serviceAreas.map((f) => ({ value: f.serviceArea, count: f.count })), (v) => areaNames.get(v) ?? humanise(v)))}
    ${facetCheckboxes('council', 'Council', withSelected(state.councils, facets.councils.map((f) => ({ value: f.council.id, count: f.count })), (v) => councilNames.get(v) ?? 'Unknown council'), { foldAfter: FOLD_AFTER })}
    ${facetCheckboxes('status', 'Status', withSelected(state.statuses, facets.statuses.map((f) => ({ value: f.status, count: f.count })), humanise))}
    ${facetCheckboxes('tag', 'Tag', withSelected(state.tags, tags.map((f) => ({ value: f.tag, count: f.count })), (v) => v), { foldAfter: FOLD_AFTER })}
    ${facetCheckboxes('region', 'Region', withSelected(state.regions, facets.regions.map((f) => ({ value: f.region, count: f.count })), (v) => v), { foldAfter: FOLD_AFTER })}
    ${facetCheckboxes('council_type', 'Council type', withSelected(state.councilKinds, facets.councilKinds.map((f) => ({ value: f.councilKind, count: f.count })), humanise))}
    ${facetCheckboxes('phase', 'Solution phase', withSelected(state.phases, facets.phases.map((f) => ({ value: f.phase, count: f.count })), humanise))}
    ${facetCheckboxes('outcome', 'Case study outcome', withSelected(state.outcomes, facets.outcomes.map((f) => ({ value: f.outcome, count: f.count })), humanise))}
    ${facetCheckboxes('freshness', 'Freshness', [{ value: OUT_OF_DATE, text: 'May be out of date', checked: state.freshness.includes(OUT_OF_DATE) }])}`;
}

/** Facet values with counts, plus any selected value the counts left out (it matched nothing). */
function withSelected(selected: readonly string[], counted: { value: string; count: number }[], label: (value: string) => string): CheckboxItem[] {
  const missing = selected.filter((v) => !counted.some((c) => c.value === v)).map((value) => ({ value, count: 0 }));
  return [...counted, ...missing].map(({ value, count }) => ({ value, count, text: label(value), checked: selected.includes(value) }));
}

/** "1,234 results, showing 21 to 40"; "About …" when the engine estimated a broad search's counts. */
export function resultCount(search: Pick<SearchPageData['search'], 'totalCount' | 'countsAreEstimates' | 'edges'>, first: number, last: number): string {
  const total = search.totalCount === 1 ? '1 result' : `${search.totalCount.toLocaleString('en-GB')} results`;
  const showing = search.edges.length < search.totalCount ? `, showing ${first} to ${last}` : '';
  return search.countsAreEstimates ? `About ${total}${showing}. Counts are estimates for a search this broad.` : `${total}${showing}`;
}

function results(state: SearchState, data: SearchPageData, areaNames: Map<string, string>): SafeHtml {
  const { search } = data;
  const first = (state.page - 1) * PAGE_SIZE + 1;
  const last = first + search.edges.length - 1;
  return html`
    <p class="govuk-body" id="result-count" role="status">${resultCount(search, first, last)}</p>
    ${search.partialMatches ? html`<div class="govuk-inset-text" id="partial-matches">No result has every word you searched for. These match some of your words, the rarest first, or are close in meaning.</div>` : ''}
    ${selectedFilters(state, data, areaNames)}
    <ul class="govuk-list cc-results">${search.edges.map((edge) => resultItem(edge, areaNames))}</ul>
    ${pagination(pageLinks(state, search.pageInfo.hasNextPage, search.totalCount))}`;
}

function resultItem({ node, highlights }: SearchHitData, areaNames: Map<string, string>): SafeHtml {
  return html`<li class="cc-result">
    <p class="govuk-body-s govuk-!-margin-bottom-1">${tag(KIND_LABELS[node.kind], KIND_COLOURS[node.kind])}</p>
    <h2 class="govuk-heading-s govuk-!-margin-bottom-1"><a class="govuk-link" href="${itemPath(node.kind, node.id)}">${safeHighlight(highlights.title)}</a></h2>
    <p class="govuk-body govuk-!-margin-bottom-1">${safeHighlight(highlights.summary)}</p>
    <ul class="govuk-list govuk-body-s cc-result__meta">
      <li><a class="govuk-link" href="${councilPath(node.council.slug)}">${node.council.name}</a></li>
      <li>${areaNames.get(node.serviceArea) ?? humanise(node.serviceArea)}</li>
      <li>${humanise(node.status)}</li>
      <li>Published ${formatDate(node.publishedAt)}</li>
    </ul>
  </li>`;
}

/** Each applied filter as a link that removes it. */
function selectedFilters(state: SearchState, data: SearchPageData, areaNames: Map<string, string>): SafeHtml {
  if (!hasFilters(state)) return html``;
  const councils = new Map(data.selectedCouncils.flatMap((c) => (c ? [[c.id, c.name] as const] : [])));
  const label = (name: FilterName, value: string) => name === 'kinds' ? KIND_LABELS[value as keyof typeof KIND_LABELS]
    : name === 'areas' ? areaNames.get(value) ?? value
      : name === 'councils' ? councils.get(value) ?? 'Unknown council'
        : name === 'statuses' || name === 'councilKinds' || name === 'phases' || name === 'outcomes' || name === 'freshness' ? humanise(value) : value;
  const links = (Object.keys(FILTER_PARAMS) as FilterName[]).flatMap((name) => state[name].map((value) =>
    html`<li><a class="govuk-link" href="${withoutFilter(state, name, value)}">Remove filter<span class="govuk-visually-hidden">:</span> ${label(name, value)}</a></li>`));
  return html`<ul class="govuk-list govuk-body-s cc-links">${links}</ul>`;
}

function pageLinks(state: SearchState, hasNextPage: boolean, total: number) {
  const lastPage = Math.min(LAST_PAGE, Math.max(1, Math.ceil(total / PAGE_SIZE)));
  const from = Math.max(1, Math.min(state.page - 2, lastPage - 4));
  const pages = [];
  for (let n = from; n <= Math.min(lastPage, from + 4); n++) pages.push({ number: n, href: searchUrl(state, { page: n }), current: n === state.page });
  return {
    ...(state.page > 1 ? { previous: searchUrl(state, { page: state.page - 1 }) } : {}),
    ...(hasNextPage && state.page < LAST_PAGE ? { next: searchUrl(state, { page: state.page + 1 }) } : {}),
    pages,
  };
}

function noResults(state: SearchState, data: SearchPageData, areaNames: Map<string, string>, suggestions?: Suggestions): SafeHtml {
  const unfiltered = data.unfiltered?.totalCount ?? 0;
  return html`
    <h2 class="govuk-heading-m" id="no-results" role="status">There are no matching results</h2>
    ${selectedFilters(state, data, areaNames)}
    ${suggestions?.shorter.length ? html`<p class="govuk-body">Did you mean:</p>
    ${linkList(suggestions.shorter.map((s) => ({ href: searchUrl(state, { q: s.q, page: 1 }), text: s.q, after: ` (${s.count === 1 ? '1 result' : `${s.count.toLocaleString('en-GB')} results`})` })), '')}` : ''}
    <p class="govuk-body">Improve your results by:</p>
    <ul class="govuk-list govuk-list--bullet">
      ${hasFilters(state) ? html`<li><a class="govuk-link" href="${withoutFilter(state)}">removing filters</a>${unfiltered > 0 ? ` (${unfiltered.toLocaleString('en-GB')} ${unfiltered === 1 ? 'result' : 'results'} without them)` : ''}</li>` : ''}
      <li>double-checking your spelling</li>
      <li>using fewer words, or different words that mean the same thing</li>
      <li>searching for something less specific, such as the service area</li>
    </ul>
    ${state.page > 1 ? html`<p class="govuk-body"><a class="govuk-link" href="${searchUrl(state, { page: 1 })}">Go to the first page of results</a></p>` : ''}
    ${suggestions?.related.length ? html`<h3 class="govuk-heading-s">Items with similar words</h3>
    ${linkList(suggestions.related.map((i) => ({ href: itemPath(i.kind, i.id), text: i.title, after: ` (${i.council.name})` })), '')}` : ''}`;
}
