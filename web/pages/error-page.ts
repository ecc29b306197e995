import { html, type SafeHtml } from '../html.js';

const PAGES: Record<number, { title: string; body: SafeHtml }> = {
  404: {
    title: 'Page not found',
    body: html`<p class="govuk-body">If you typed the web address, check it is correct.</p>
      <p class="govuk-body">If you pasted the web address, check you copied the entire address.</p>
      <p class="govuk-body">The item may have been archived or not published yet. <a class="govuk-link" href="/">Search prior work</a> instead.</p>`,
  },
  429: {
    title: 'Too many requests',
    body: html`<p class="govuk-body">You have loaded a lot of pages in a short time. Wait a few seconds and try again.</p>`,
  },
  503: {
    title: 'Sorry, the service is unavailable',
    body: html`<p class="govuk-body">You will be able to use the service again soon. Try again in a minute.</p>`,
  },
  500: {
    title: 'Sorry, there is a problem with the service',
    body: html`<p class="govuk-body">Try again later.</p>`,
  },
};

// Pages for errors whose code says more than their status.
const BY_CODE: Record<string, { title: string; body: SafeHtml }> = {
  SEARCH_UNAVAILABLE: {
    title: 'Sorry, search is unavailable',
    body: html`<p class="govuk-body">Search is not answering at the moment. Try again in a minute.</p>
      <p class="govuk-body">Pages for single problems, solutions and case studies still work if you have their address.</p>`,
  },
};

export function errorPage(status: number, code?: string): { title: string; main: SafeHtml } {
  const page = (code ? BY_CODE[code] : undefined) ?? PAGES[status] ?? PAGES[500]!;
  return { title: page.title, main: html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds"><h1 class="govuk-heading-l">${page.title}</h1>${page.body}</div></div>` };
}
