import { html, type SafeHtml } from '../html.js';
import { page } from '../layout.js';

export interface NudgedItem {
  readonly title: string;
  /** The item's page and its edit page, on this hub. */
  readonly path: string;
  readonly kind: 'problem' | 'solution';
  readonly council: string;
  readonly outOfDate: boolean;
  /** The member answering is its named contact rather than an editor or admin. */
  readonly asContact: boolean;
  readonly canEdit: boolean;
}

/**
 * The answers to a freshness nudge, one form with a button per change (a POST to this same
 * signed address), so they work with JavaScript off; "update" is a link to the edit page.
 */
export function nudgeQuestionPage(item: NudgedItem): string {
  const title = `Is “${item.title}” still current?`;
  return page({ title, main: html`
    <span class="govuk-caption-l">${item.council}: ${item.kind}</span>
    <h1 class="govuk-heading-l">${title}</h1>
    ${item.outOfDate ? html`<p class="govuk-body"><strong class="govuk-tag govuk-tag--yellow">May be out of date</strong> Other councils see this until someone answers.</p>` : ''}
    <p class="govuk-body">${item.asContact ? 'You are named as its contact, so' : 'You are an admin or editor of its council, so'} the hub asks you whether <a class="govuk-link" href="${item.path}">${item.title}</a> still describes what your council is doing.</p>
    <form method="post" novalidate>
      <div class="govuk-button-group">
        <button type="submit" name="action" value="current" class="govuk-button" data-module="govuk-button">Yes, it is still current</button>
        <a class="govuk-link" href="${item.path}/edit">No, update it</a>
      </div>
      ${item.canEdit ? '' : html`<p class="govuk-body">Updating it needs an editor of your council: sign in as one, or ask one of them.</p>`}
      <h2 class="govuk-heading-m">No longer relevant?</h2>
      <p class="govuk-body">Archiving takes it out of listings and search. Other councils can still open it from a link.</p>
      <button type="submit" name="action" value="archive" class="govuk-button govuk-button--warning" data-module="govuk-button">Archive it</button>
    </form>` });
}

/** What an answer did, or why the link does not work. */
export function nudgeOutcomePage(title: string, body: SafeHtml): string {
  return page({ title, main: html`<h1 class="govuk-heading-l">${title}</h1>${body}` });
}
