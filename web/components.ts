import { html, type Interpolation, type SafeHtml } from './html.js';

// GOV.UK Frontend component markup, as the Design System documents it.

export interface Crumb { readonly text: string; readonly href?: string }

export function breadcrumbs(crumbs: readonly Crumb[]): SafeHtml {
  return html`<nav class="govuk-breadcrumbs" aria-label="Breadcrumb"><ol class="govuk-breadcrumbs__list">${crumbs.map((c) => (c.href
    ? html`<li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link" href="${c.href}">${c.text}</a></li>`
    : html`<li class="govuk-breadcrumbs__list-item" aria-current="page">${c.text}</li>`))}</ol></nav>`;
}

export type TagColour = 'grey' | 'green' | 'turquoise' | 'blue' | 'light-blue' | 'purple' | 'pink' | 'red' | 'orange' | 'yellow';

export function tag(text: string, colour?: TagColour): SafeHtml {
  return html`<strong class="govuk-tag${colour ? ` govuk-tag--${colour}` : ''}">${text}</strong>`;
}

export interface SummaryRow { readonly key: string; readonly value: Interpolation }

export function summaryList(rows: readonly SummaryRow[]): SafeHtml {
  return html`<dl class="govuk-summary-list">${rows.map((row) => html`<div class="govuk-summary-list__row">
    <dt class="govuk-summary-list__key">${row.key}</dt><dd class="govuk-summary-list__value">${row.value}</dd></div>`)}</dl>`;
}

/** `count` is left out for a filter the engine does not count ("may be out of date"). */
export interface CheckboxItem { readonly value: string; readonly text: string; readonly count?: number; readonly checked: boolean }

/**
 * A small-checkbox fieldset for one search facet; each label carries its count. A long
 * facet folds into a Details component (open while one of its values is chosen), so a
 * narrow screen reaches the results without scrolling past every council and tag.
 */
export function facetCheckboxes(name: string, legend: string, items: readonly CheckboxItem[], { foldAfter = Infinity } = {}): SafeHtml {
  if (items.length === 0) return html``;
  const checkboxes = html`<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">${items.map((item, i) => {
    const id = `${name}-${i}`;
    return html`<div class="govuk-checkboxes__item">
    <input class="govuk-checkboxes__input" id="${id}" name="${name}" type="checkbox" value="${item.value}"${item.checked ? html` checked` : ''}>
    <label class="govuk-label govuk-checkboxes__label" for="${id}">${item.text}${item.count === undefined ? '' : html` <span class="govuk-hint govuk-!-display-inline">(${item.count})</span>`}</label></div>`;
  })}</div>`;
  if (items.length <= foldAfter) {
    return html`<div class="govuk-form-group"><fieldset class="govuk-fieldset">
  <legend class="govuk-fieldset__legend govuk-fieldset__legend--s"><h3 class="govuk-fieldset__heading">${legend}</h3></legend>
  ${checkboxes}</fieldset></div>`;
  }
  return html`<details class="govuk-details"${items.some((i) => i.checked) ? html` open` : ''}>
  <summary class="govuk-details__summary"><span class="govuk-details__summary-text">${legend} (${items.length})</span></summary>
  <div class="govuk-details__text"><fieldset class="govuk-fieldset"><legend class="govuk-visually-hidden">${legend}</legend>${checkboxes}</fieldset></div></details>`;
}

export interface PaginationLinks {
  readonly previous?: string;
  readonly next?: string;
  readonly pages: readonly { number: number; href: string; current: boolean }[];
}

export function pagination(links: PaginationLinks): SafeHtml {
  if (!links.previous && !links.next) return html``;
  const arrow = (direction: 'prev' | 'next') => html`<svg class="govuk-pagination__icon govuk-pagination__icon--${direction}" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13"><path d="${direction === 'prev'
    ? 'm6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z'
    : 'm8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z'}"></path></svg>`;
  return html`<nav class="govuk-pagination" aria-label="Results pages">
  ${links.previous ? html`<div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" href="${links.previous}" rel="prev">${arrow('prev')}<span class="govuk-pagination__link-title">Previous<span class="govuk-visually-hidden"> page</span></span></a></div>` : ''}
  <ul class="govuk-pagination__list">${links.pages.map((p) => html`<li class="govuk-pagination__item${p.current ? ' govuk-pagination__item--current' : ''}"><a class="govuk-link govuk-pagination__link" href="${p.href}" aria-label="Page ${p.number}"${p.current ? html` aria-current="page"` : ''}>${p.number}</a></li>`)}</ul>
  ${links.next ? html`<div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="${links.next}" rel="next"><span class="govuk-pagination__link-title">Next<span class="govuk-visually-hidden"> page</span></span>${arrow('next')}</a></div>` : ''}
</nav>`;
}

export function notificationBanner(title: string, content: SafeHtml, options: { id?: string; hidden?: boolean } = {}): SafeHtml {
  return html`<div class="govuk-notification-banner"${options.id ? html` id="${options.id}"` : ''} role="region" aria-labelledby="${options.id ?? 'notice'}-title" data-module="govuk-notification-banner"${options.hidden ? html` hidden` : ''}>
  <div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="${options.id ?? 'notice'}-title">${title}</h2></div>
  <div class="govuk-notification-banner__content">${content}</div></div>`;
}

/** A list of links to items, or a sentence saying there are none. */
export function linkList(items: readonly { href: string; text: string; after?: Interpolation }[], none: string): SafeHtml {
  if (items.length === 0) return html`<p class="govuk-body">${none}</p>`;
  return html`<ul class="govuk-list govuk-list--bullet cc-links">${items.map((i) => html`<li><a class="govuk-link" href="${i.href}">${i.text}</a>${i.after ?? ''}</li>`)}</ul>`;
}
