import { html, type SafeHtml } from './html.js';

/** The session's CSRF token, carried by every state-changing form. */
export function csrfField(session: { csrfToken: string }): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${session.csrfToken}">`;
}
