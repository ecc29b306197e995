import { html, type Interpolation, type SafeHtml } from './html.js';
import { breadcrumbs, type Crumb } from './components.js';
import { KIND_PLURALS, KIND_SECTIONS, KINDS, type Kind } from './vocabulary.js';
import { sampleDataBanner } from './sample-banner.js';

export interface PageOptions {
  readonly title: string;
  readonly main: SafeHtml;
  readonly breadcrumbs?: readonly Crumb[];
  /** Which service navigation link is the current section. */
  readonly section?: 'search' | 'account' | 'write' | 'drafts' | 'inbox' | 'insights' | (typeof KIND_SECTIONS)[Kind];
  /** Attributes for <main>, e.g. the live search's data. */
  readonly mainAttributes?: SafeHtml;
  /** Say that the hub holds sample data (see sample-banner.ts). */
  readonly sampleBanner?: boolean;
  /** The signed-in member, named in the header with a link to their account. */
  readonly account?: { readonly name: string; readonly council: string; readonly unread?: number | null };
}

const NAVIGATION = [
  { section: 'search', text: 'Search', href: '/' },
  ...KINDS.map((kind) => ({ section: KIND_SECTIONS[kind], text: KIND_PLURALS[kind], href: `/?kind=${kind}` })),
  { section: 'insights', text: 'Insights', href: '/insights' },
];

/** The GOV.UK template: skip link, header, service navigation, phase banner, footer. */
export function page(options: PageOptions): string {
  return html`<!DOCTYPE html>
<html lang="en" class="govuk-template govuk-template--rebranded">
<head>
<meta charset="utf-8">
<title>${options.title} – Council Commons</title>
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="theme-color" content="#1d70b8">
<link rel="icon" sizes="48x48" href="/assets/rebrand/images/favicon.ico">
<link rel="icon" sizes="any" href="/assets/rebrand/images/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/stylesheets/govuk-frontend.min.css">
<link rel="stylesheet" href="/stylesheets/council-commons.css">
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>
<header class="govuk-header" data-module="govuk-header">
  <div class="govuk-header__container govuk-width-container">
    <div class="govuk-header__logo">
      <a href="/" class="govuk-header__link govuk-header__link--homepage">
        <span class="govuk-header__product-name cc-header__name">Council Commons</span>
      </a>
    </div>
  </div>
</header>
<section aria-label="Service information" class="govuk-service-navigation" data-module="govuk-service-navigation">
  <div class="govuk-width-container">
    <div class="govuk-service-navigation__container">
      <nav aria-label="Menu" class="govuk-service-navigation__wrapper">
        <button type="button" class="govuk-service-navigation__toggle govuk-js-service-navigation-toggle" aria-controls="navigation" hidden>Menu</button>
        <ul class="govuk-service-navigation__list" id="navigation">
          ${NAVIGATION.map((item) => navigationItem(item, item.section === options.section))}
          ${accountItems(options)}
        </ul>
      </nav>
    </div>
  </div>
</section>
<div class="govuk-width-container">
  <div class="govuk-phase-banner">
    <p class="govuk-phase-banner__content">
      <strong class="govuk-tag govuk-phase-banner__content__tag">Beta</strong>
      <span class="govuk-phase-banner__text">Search what other councils have already done before you start again.</span>
    </p>
  </div>
  ${options.breadcrumbs ? breadcrumbs(options.breadcrumbs) : ''}
  <main class="govuk-main-wrapper" id="main-content"${options.mainAttributes ?? ''}>
    ${options.sampleBanner ? sampleDataBanner() : ''}
    ${options.main}
  </main>
</div>
<footer class="govuk-footer">
  <div class="govuk-width-container">
    <div class="govuk-footer__meta">
      <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
        <h2 class="govuk-visually-hidden">Support links</h2>
        <ul class="govuk-footer__inline-list">
          <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/councils">Councils</a></li>
          <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/data">Open data</a></li>
          <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/api">GraphQL API</a></li>
        </ul>
        <span class="govuk-footer__licence-description">Published by UK councils to share what they have learned. Built on the GOV.UK Design System.</span>
      </div>
    </div>
  </div>
</footer>
<script type="module" src="/javascripts/council-commons.js"></script>
</body>
</html>
`.value;
}

/** Sign in, or the signed-in member's own pages: kept to the end of the service navigation. */
function accountItems(options: PageOptions): SafeHtml {
  if (!options.account) return navigationItem({ text: 'Sign in', href: '/sign-in' }, options.section === 'account');
  const unread = options.account.unread;
  return html`${navigationItem({ text: 'Describe a problem', href: '/problems/new' }, options.section === 'write')}
    ${navigationItem({ text: 'Drafts', href: '/drafts' }, options.section === 'drafts')}
    ${navigationItem({ text: 'Inbox', href: '/inbox', after: unread ? html` <span class="cc-unread">${unread}<span class="govuk-visually-hidden"> unread</span></span>` : undefined }, options.section === 'inbox')}
    ${navigationItem({ text: `Your account (${options.account.name})`, href: '/account' }, options.section === 'account')}`;
}

function navigationItem(item: { text: string; href: string; after?: SafeHtml | undefined }, active: boolean): SafeHtml {
  const link: Interpolation = active
    ? html`<a class="govuk-service-navigation__link" href="${item.href}" aria-current="page"><strong class="govuk-service-navigation__active-fallback">${item.text}</strong>${item.after ?? ''}</a>`
    : html`<a class="govuk-service-navigation__link" href="${item.href}">${item.text}${item.after ?? ''}</a>`;
  return html`<li class="govuk-service-navigation__item${active ? ' govuk-service-navigation__item--active' : ''}">${link}</li>`;
}
