import { codeValues } from '../../server/domain/open-data/columns.js';
import { OPEN_DATASETS } from '../../server/domain/open-data/catalogue.js';
import { fileStem, type ColumnInfo, type OpenDataset } from '../../server/domain/open-data/dataset.js';
import { html, type SafeHtml } from '../html.js';
import type { PageRoute } from '../page-request.js';

export const OGL_URL = 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/';

const TYPE_NAMES: Record<ColumnInfo['type'], string> = {
  id: 'Global id', text: 'Text', integer: 'Whole number', boolean: 'true or false', datetime: 'Date and time (RFC 3339, UTC)',
  url: 'Web address', code: 'Code', tags: 'List of tags',
};

/** `/data` (the downloads) and `/data/dictionary` (every column of every file). */
export function createDataPages(): PageRoute {
  return async ({ req, url }) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return null;
    if (url.pathname === '/data') return { view: { title: 'Open data', main: downloadsPage() } };
    if (url.pathname === '/data/dictionary') {
      return { view: { title: 'Open data dictionary', main: dictionaryPage(), breadcrumbs: [{ text: 'Open data', href: '/data' }] } };
    }
    return null;
  };
}

const licence = html`<p class="govuk-body">You may copy, publish, adapt and combine this data, for any purpose, under the
  <a class="govuk-link" href="${OGL_URL}" rel="license">Open Government Licence v3.0</a>. Say where it came from:
  “Contains public sector information from Council Commons licensed under the Open Government Licence v3.0.”</p>`;

function downloadsPage(): SafeHtml {
  return html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
<h1 class="govuk-heading-l">Open data</h1>
<p class="govuk-body-l">Everything councils have published on the hub, to download whole: problems, solutions, case studies, councils, who shares which problem, who adopted which solution, and how they link.</p>
${licence}
<h2 class="govuk-heading-m">What the files hold</h2>
<ul class="govuk-list govuk-list--bullet">
  <li>Published items only. Drafts, archived items, members, email addresses and anything else not public are never in them.</li>
  <li>Each file is read in one go from one moment of the hub, so its rows agree with each other.</li>
  <li>CSV files open in a spreadsheet: a cell that starts with = + - or @ starts with an apostrophe, so it is shown, never run as a formula. JSON Lines files hold the text exactly.</li>
  <li>Column names do not change within a version: a change makes a new file, such as <code>problems-v2.csv</code>, beside the old one.</li>
</ul>
<p class="govuk-body">The <a class="govuk-link" href="/data/dictionary">data dictionary</a> describes every column; each file also has a JSON Schema.</p>
<h2 class="govuk-heading-m">Downloads</h2>
${OPEN_DATASETS.map(downloads)}
</div></div>`;
}

function downloads(dataset: OpenDataset): SafeHtml {
  const stem = fileStem(dataset);
  return html`<h3 class="govuk-heading-s" id="${stem}">${dataset.title}</h3>
<p class="govuk-body">${dataset.description}</p>
<ul class="govuk-list cc-links">
  <li><a class="govuk-link" href="/data/${stem}.csv" download>${dataset.title} as CSV <span class="govuk-hint govuk-!-display-inline">(${stem}.csv)</span></a></li>
  <li><a class="govuk-link" href="/data/${stem}.jsonl" download>${dataset.title} as JSON Lines <span class="govuk-hint govuk-!-display-inline">(${stem}.jsonl)</span></a></li>
  <li><a class="govuk-link" href="/data/${stem}.schema.json">JSON Schema for ${dataset.title.toLowerCase()} <span class="govuk-hint govuk-!-display-inline">(${stem}.schema.json)</span></a></li>
  <li><a class="govuk-link" href="/data/dictionary#${stem}">Columns of ${dataset.title.toLowerCase()}<span class="govuk-visually-hidden"> in the data dictionary</span></a></li>
</ul>`;
}

function dictionaryPage(): SafeHtml {
  return html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
<h1 class="govuk-heading-l">Open data dictionary</h1>
<p class="govuk-body">Every column of every <a class="govuk-link" href="/data">open data file</a>, in file order. A CSV file and its JSON Lines file have the same columns; in CSV an empty cell is an empty value, true and false are written as words, and tags are separated by “; ”.</p>
<p class="govuk-body">Ids are the API's global ids: <code class="cc-wrap">/problems/&lt;id&gt;</code> is a problem's page, and <code>node(id:)</code> fetches it from the GraphQL API. Dates and times are in UTC.</p>
${licence}
${OPEN_DATASETS.map(columnsOf)}
</div></div>`;
}

function columnsOf(dataset: OpenDataset): SafeHtml {
  const stem = fileStem(dataset);
  return html`<h2 class="govuk-heading-m" id="${stem}">${dataset.title} <span class="govuk-caption-m cc-wrap">${stem}.csv, ${stem}.jsonl</span></h2>
<p class="govuk-body">${dataset.description}</p>
<dl class="govuk-summary-list">${dataset.columns.map((column) => html`<div class="govuk-summary-list__row">
  <dt class="govuk-summary-list__key"><code class="cc-wrap">${column.name}</code></dt>
  <dd class="govuk-summary-list__value"><p class="govuk-body">${column.description}.</p>
    <p class="govuk-body-s">${TYPE_NAMES[column.type]}${column.nullable ? ', may be empty' : ''}${column.values ? html`: <span class="cc-wrap">${codeValues(column).join(', ')}</span>` : ''}</p></dd></div>`)}</dl>`;
}
