import type { CouncilAdmins } from '../../server/auth/identities.js';
import type { WebSession } from '../../server/auth/sessions.js';
import { html, type SafeHtml } from '../html.js';
import { csrfField } from '../form-fields.js';

export interface DemoMember { readonly id: string; readonly name: string; readonly role: string; readonly council: string; readonly isPlatformAdmin: boolean }

const column = (content: SafeHtml) => html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${content}</div></div>`;

export function signInPage({ oidc, demo }: { oidc: boolean; demo: readonly DemoMember[] | undefined }) {
  return {
    title: 'Sign in',
    section: 'account' as const,
    main: column(html`<h1 class="govuk-heading-l">Sign in</h1>
      <p class="govuk-body">Council staff sign in to draft and publish their council's problems, solutions and case studies, support other councils' problems, record adoptions and comment. Anyone can search and read published work without signing in.</p>
      ${oidc ? html`<a href="/sign-in/oidc" role="button" draggable="false" class="govuk-button govuk-button--start" data-module="govuk-button">Sign in with your council account
        <svg class="govuk-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false"><path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z"/></svg></a>` : ''}
      ${demo ? demoList(demo) : ''}
      ${!oidc && !demo ? html`<p class="govuk-body">Sign-in is not set up on this hub. Ask whoever runs it to configure OpenID Connect (see the README).</p>` : ''}`),
  };
}

function demoList(members: readonly DemoMember[]): SafeHtml {
  return html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>
    <strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>Demo sign-in: anyone who can reach this hub can sign in as any member below, without a password. It is only available on the embedded database, for trying the hub.</strong></div>
  <h2 class="govuk-heading-m">Demo members</h2>
  ${members.length === 0 ? html`<p class="govuk-body">There are no members yet. Load the seed data or add one with <code>npm run admin</code>.</p>` : ''}
  <ul class="govuk-list cc-demo-members">${members.map((m) => html`<li>
    <form method="post" action="/sign-in/demo" novalidate>
      <input type="hidden" name="member" value="${m.id}">
      <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-1" data-module="govuk-button">Sign in as ${m.name}</button>
      <p class="govuk-hint">${m.council}, ${m.role}${m.isPlatformAdmin ? ', platform admin: can hide reported content (/moderation)' : ''}</p>
    </form></li>`)}</ul>`;
}

export function accountPage(session: WebSession) {
  return {
    title: 'Your account',
    section: 'account' as const,
    main: column(html`<h1 class="govuk-heading-l">Your account</h1>
      <dl class="govuk-summary-list">
        <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Name</dt><dd class="govuk-summary-list__value">${session.member.name}</dd></div>
        <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Work email</dt><dd class="govuk-summary-list__value">${session.member.email}</dd></div>
        <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Council</dt><dd class="govuk-summary-list__value"><a class="govuk-link" href="/councils/${encodeURIComponent(session.council.slug)}">${session.council.name}</a></dd></div>
        <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Role</dt><dd class="govuk-summary-list__value">${session.viewer.role}${session.viewer.isPlatformAdmin ? ' (platform admin)' : ''}</dd></div>
      </dl>
      <h2 class="govuk-heading-m">Share your council's work</h2>
      <ul class="govuk-list">
        <li><a class="govuk-link" href="/problems/new">Describe a problem</a></li>
        <li><a class="govuk-link" href="/solutions/new">Share a solution</a></li>
        <li><a class="govuk-link" href="/case-studies/new">Write a case study</a></li>
        <li><a class="govuk-link" href="/drafts">Your council's drafts</a></li>
        <li><a class="govuk-link" href="/inbox">Your inbox</a></li>
        <li><a class="govuk-link" href="/account/contact">Be a contact for your council</a></li>
        ${session.viewer.role === 'admin' ? html`<li><a class="govuk-link" href="/council/members">Your council's members</a></li>
        <li><a class="govuk-link" href="/council/webhooks">Your council's webhooks</a></li>` : ''}
        ${session.viewer.isPlatformAdmin ? html`<li><a class="govuk-link" href="/moderation">Moderation: reports to review</a></li>` : ''}
      </ul>
      <div class="govuk-button-group">
        <form method="post" action="/sign-out" novalidate>${csrfField(session)}<button type="submit" class="govuk-button" data-module="govuk-button">Sign out</button></form>
        <form method="post" action="/sign-out/everywhere" novalidate>${csrfField(session)}<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Sign out everywhere</button></form>
      </div>
      <p class="govuk-body">Sign out everywhere ends your sessions on every device and browser.</p>`),
  };
}

export function signedOutPage(everywhere: boolean): { title: string; main: SafeHtml } {
  return {
    title: 'You have signed out',
    main: column(html`<h1 class="govuk-heading-l">You have signed out</h1>
      <p class="govuk-body">${everywhere ? 'You have been signed out on every device and browser.' : 'You have been signed out of Council Commons.'}</p>
      <p class="govuk-body"><a class="govuk-link" href="/sign-in">Sign in again</a> or <a class="govuk-link" href="/">search prior work</a>.</p>`),
  };
}

/** An identity the hub cannot sign in: why, and whom to ask. No session is made. */
export function refusedIdentityPage(reason: 'unknown' | 'unverified' | 'domain-not-allowed' | 'failed', askAdmins?: CouncilAdmins): { title: string; main: SafeHtml } {
  const titles = {
    unknown: 'You cannot sign in yet',
    unverified: 'Your email address is not verified',
    'domain-not-allowed': 'You cannot sign in with this email address',
    failed: 'Sign-in did not finish',
  };
  const why = {
    unknown: 'Your council account is not a member of Council Commons. Ask your council\'s admin to add you as a member, using your work email address.',
    unverified: 'Your identity provider did not confirm your email address, so Council Commons cannot tell which member you are. Ask your IT team to verify it.',
    'domain-not-allowed': 'Your council only lets staff sign in with email addresses on its own domains. Ask your council\'s admin which address to use.',
    failed: 'The sign-in took too long or was started in another browser. Start again.',
  };
  return {
    title: titles[reason],
    main: column(html`<h1 class="govuk-heading-l">${titles[reason]}</h1>
      <p class="govuk-body">${why[reason]}</p>
      ${askAdmins ? html`<h2 class="govuk-heading-m">Admins at ${askAdmins.council}</h2>
        ${askAdmins.admins.length === 0
          ? html`<p class="govuk-body">${askAdmins.council} has no admins on Council Commons yet.</p>`
          : html`<ul class="govuk-list">${askAdmins.admins.map((a) => html`<li>${a.name} (<a class="govuk-link" href="mailto:${a.email}">${a.email}</a>)</li>`)}</ul>`}` : ''}
      <p class="govuk-body"><a class="govuk-link" href="/sign-in">Try signing in again</a> or <a class="govuk-link" href="/">search prior work</a> without signing in.</p>`),
  };
}

export function formRefusedPage(message: string): { title: string; main: SafeHtml } {
  return {
    title: 'The form could not be sent',
    main: column(html`<h1 class="govuk-heading-l">The form could not be sent</h1>
      <p class="govuk-body">Council Commons did not accept the form because ${message}.</p>
      <p class="govuk-body">Go back, reload the page and try again. If you have been away for a while, you may need to <a class="govuk-link" href="/sign-in">sign in</a> again.</p>`),
  };
}
