import { html, type SafeHtml } from '../html.js';

/**
 * Where the footer's "GraphQL API" link goes. A browser's GET to /graphql only answers when
 * GraphiQL is on (embedded mode); in server mode it is 406, so this page says how to call it.
 */
export function apiPage({ graphiql }: { graphiql: boolean }): { title: string; main: SafeHtml } {
  const explorer = graphiql
    ? html`<p class="govuk-body"><a class="govuk-link" href="/graphql">Open GraphiQL</a> to write queries in your browser, with the schema's documentation beside them.</p>`
    : html`<p class="govuk-body">GraphiQL, the in-browser query editor, is turned off on this hub (set <code>GRAPHIQL=true</code> to turn it on).</p>`;
  return {
    title: 'GraphQL API',
    main: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
<h1 class="govuk-heading-l">GraphQL API</h1>
<p class="govuk-body">Everything on these pages, and publishing, comments and webhooks, is available to programs through one GraphQL endpoint:</p>
<p class="govuk-body"><code>POST /graphql</code> with a JSON body <code>{"query": "...", "variables": {...}}</code> and the header <code>Authorization: Bearer cc_...</code> (an API token from your council's admin). Published work can be read without a token.</p>
<p class="govuk-body">Subscriptions use <code>graphql-ws</code> on <code>/graphql</code>, or Server-Sent Events (<code>Accept: text/event-stream</code>).</p>
${explorer}
<p class="govuk-body">Worked examples are in the README that comes with the hub's code: "Run it", "Search", "Follow what happens" and "Webhooks".</p>
</div></div>`,
  };
}
