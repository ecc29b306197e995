import { html, type SafeHtml } from './html.js';

/**
 * Said on every page of a hub holding the seeded sample data (embedded mode only), so a
 * screenshot of the demo is not taken for what the councils named have said. GOV.UK
 * notification banner: a labelled region, its own title id so no page repeats it.
 */
export function sampleDataBanner(): SafeHtml {
  return html`<div class="govuk-notification-banner cc-sample-banner" role="region" aria-labelledby="cc-sample-banner-title" data-module="govuk-notification-banner">
  <div class="govuk-notification-banner__header">
    <h2 class="govuk-notification-banner__title" id="cc-sample-banner-title">Sample data</h2>
  </div>
  <div class="govuk-notification-banner__content">
    <p class="govuk-notification-banner__heading">This hub holds sample data for trying Council Commons.</p>
    <p class="govuk-body">The councils are real, but what they appear to publish here is a demonstration, not their own account. Where an item links a source, read the source: it is what the council, funder or press actually published.</p>
  </div>
</div>`;
}
