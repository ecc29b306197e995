import { barChart, columnChart, monthLabel, stackedBarChart, type ChartText } from '../charts/svg-chart.js';
import { html, type Interpolation, type SafeHtml } from '../html.js';
import { councilPath, humanise, itemPath } from '../vocabulary.js';
import type { InsightsData } from './insights-query.js';

const OUTCOMES = [
  { value: 'WORKED', label: 'Worked', colour: '#00703c' },
  { value: 'PARTLY_WORKED', label: 'Partly worked', colour: '#1d70b8' },
  { value: 'DID_NOT_WORK', label: 'Did not work', colour: '#d4351c' },
  { value: 'TOO_EARLY_TO_TELL', label: 'Too early to tell', colour: '#505a5f' },
] as const;

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** A chart with its table beside it (below it on a narrow screen), as GOV.UK's guidance asks. */
function figure(heading: string, id: string, lead: Interpolation, chart: SafeHtml, table: SafeHtml): SafeHtml {
  return html`<section aria-labelledby="${id}-heading">
  <h2 class="govuk-heading-m" id="${id}-heading">${heading}</h2>
  ${lead ? html`<p class="govuk-body">${lead}</p>` : ''}
  <div class="govuk-grid-row">
    <div class="govuk-grid-column-one-half">${chart}</div>
    <div class="govuk-grid-column-one-half"><div class="cc-table-scroll" role="region" aria-label="${heading}: table" tabindex="0">${table}</div></div>
  </div></section>`;
}

function table(caption: string, head: readonly string[], rows: readonly (readonly Interpolation[])[]): SafeHtml {
  return html`<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">${caption}</caption>
  <thead class="govuk-table__head"><tr class="govuk-table__row">${head.map((h, i) => html`<th scope="col" class="govuk-table__header${i > 0 ? ' govuk-table__header--numeric' : ''}">${h}</th>`)}</tr></thead>
  <tbody class="govuk-table__body">${rows.length === 0
    ? html`<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="${head.length}">None yet</td></tr>`
    : rows.map((row) => html`<tr class="govuk-table__row">${row.map((cell, i) => i === 0
      ? html`<th scope="row" class="govuk-table__header">${cell}</th>`
      : html`<td class="govuk-table__cell govuk-table__cell--numeric">${cell}</td>`)}</tr>`)}</tbody></table>`;
}

const councilLink = (c: { name: string; slug: string }) => html`<a class="govuk-link" href="${councilPath(c.slug)}">${c.name}</a>`;

/** /insights: what the public record says about the sector, each chart with its figures. */
export function insightsPage(data: InsightsData): { title: string; main: SafeHtml } {
  const { insights } = data;
  const areaName = (code: string) => data.serviceAreas.find((a) => a.code === code)?.name ?? humanise(code);
  const text = (id: string, title: string, description: string): ChartText => ({ id, title, description });

  const areas = [...insights.demandByServiceArea].sort((a, b) => b.problems - a.problems || b.councils - a.councils);
  const topArea = areas[0];
  const demand = figure('Demand by service area', 'areas', 'Problems councils have published in each service area, and how many councils published or share one.',
    barChart(text('areas-chart', 'Problems published by service area', topArea && topArea.problems > 0
      ? `${areaName(topArea.serviceArea)} has the most problems (${topArea.problems}). The table gives every area's figures.`
      : 'No problems have been published yet.'), areas.map((a) => ({ label: areaName(a.serviceArea), value: a.problems }))),
    table('Problems and councils by service area', ['Service area', 'Problems', 'Councils'],
      areas.map((a) => [html`<a class="govuk-link" href="/?kind=PROBLEM&amp;area=${a.serviceArea}">${areaName(a.serviceArea)}</a>`, a.problems, a.councils])));

  const regions = insights.demandByRegion;
  const region = figure('Demand by region', 'regions', 'Problems published by each region\'s councils and other councils\' problems they share.',
    barChart(text('regions-chart', 'Problems published and shared by region', 'Each bar adds the problems a region\'s councils published to the problems of other councils they said they have too.'),
      regions.map((r) => ({ label: r.region, value: r.problems + r.supports }))),
    table('Problems, supports and councils by region', ['Region', 'Published', 'Shared', 'Councils'],
      regions.map((r) => [r.region, r.problems, r.supports, r.councils])));

  const shared = insights.mostSharedProblems;
  const mostShared = html`<section aria-labelledby="shared-heading">
  <h2 class="govuk-heading-m" id="shared-heading">Problems most councils share</h2>
  <p class="govuk-body">Problems with the most councils saying "we have this too": partners for a joint solution or a joint purchase.</p>
  ${shared.length === 0 ? html`<p class="govuk-body">No council has said it shares another council's problem yet.</p>` : html`
  <div class="govuk-grid-row"><div class="govuk-grid-column-one-half">
    ${barChart(text('shared-chart', 'Councils sharing each of the most shared problems', `The most shared problem has ${shared[0]!.councilCount} councils.`),
      shared.map((s) => ({ label: s.problem.title, value: s.councilCount })))}
  </div><div class="govuk-grid-column-one-half">
    <div class="cc-table-scroll" role="region" aria-label="Problems most councils share: table" tabindex="0">
    ${table('The most shared problems and the councils that have them', ['Problem', 'Councils'],
      shared.map((s) => [html`<a class="govuk-link" href="${itemPath('PROBLEM', s.problem.id)}">${s.problem.title}</a><br><span class="govuk-body-s">${s.councils.map((c, i) => html`${i ? ', ' : ''}${councilLink(c)}`)}</span>`, s.councilCount]))}
    </div></div></div>`}</section>`;

  const adoptions = insights.adoptionsByMonth;
  const spread = figure('How solutions spread', 'spread', `${sum(adoptions.map((a) => a.count))} adoptions in the last ${adoptions.length} months.`,
    columnChart(text('spread-chart', 'Solutions adopted each month', `Adoptions by month from ${monthLabel(adoptions[0]!.month)} to ${monthLabel(adoptions.at(-1)!.month)}.`),
      adoptions.map((a) => ({ month: a.month, value: a.count }))),
    table('Adoptions by month', ['Month', 'Adoptions'], adoptions.map((a) => [monthLabel(a.month), a.count])));

  const flows = html`<section aria-labelledby="flows-heading">
  <h3 class="govuk-heading-s" id="flows-heading">From which council to which</h3>
  <div class="cc-table-scroll" role="region" aria-label="Adoptions from council to council: table" tabindex="0">
  ${table('Solutions one council published and another adopted, largest flows first', ['From (published)', 'To (adopted)', 'Adoptions'],
    insights.adoptionFlows.map((f) => [councilLink(f.from), councilLink(f.to), f.adoptions]))}</div></section>`;

  const outcomeAreas = [...new Set(insights.caseStudyOutcomes.map((o) => o.serviceArea))];
  const countFor = (area: string, outcome: string) => insights.caseStudyOutcomes.find((o) => o.serviceArea === area && o.outcome === outcome)?.caseStudies ?? 0;
  const outcomes = figure('Case study outcomes by service area', 'outcomes', 'What councils reported happened when they tried something.',
    stackedBarChart(text('outcomes-chart', 'Case study outcomes by service area', outcomeAreas.length ? 'Each bar splits an area\'s case studies into worked, partly worked, did not work and too early to tell.' : 'No case studies have been published yet.'),
      OUTCOMES, outcomeAreas.map((area) => ({ label: areaName(area), values: OUTCOMES.map((o) => countFor(area, o.value)) }))),
    table('Case studies by outcome and service area', ['Service area', ...OUTCOMES.map((o) => o.label)],
      outcomeAreas.map((area) => [areaName(area), ...OUTCOMES.map((o) => countFor(area, o.value))])));

  const activity = insights.activityByMonth;
  const activityFigure = figure('Activity over time', 'activity', 'Everything published, shared and adopted each month.',
    columnChart(text('activity-chart', 'Activity each month', 'Problems, solutions and case studies published, problems shared and solutions adopted, added together per month.'),
      activity.map((a) => ({ month: a.month, value: a.problems + a.solutions + a.caseStudies + a.supports + a.adoptions }))),
    table('Activity by month', ['Month', 'Problems', 'Solutions', 'Case studies', 'Shared', 'Adopted'],
      activity.map((a) => [monthLabel(a.month), a.problems, a.solutions, a.caseStudies, a.supports, a.adoptions])));

  return {
    title: 'Insights',
    main: html`<h1 class="govuk-heading-l">Insights</h1>
<p class="govuk-body-l">What councils have put on the hub says where the sector's shared problems are, which solutions spread and what worked.</p>
<p class="govuk-body">Only published items count; drafts never do. The same figures are in the <a class="govuk-link" href="/api">GraphQL API</a> (<code>insights</code>).</p>
${demand}${region}${mostShared}${spread}${flows}${outcomes}${activityFigure}`,
  };
}
