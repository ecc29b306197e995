import type { WebSession } from '../../server/auth/sessions.js';
import { checkCsrfToken, checkSameOrigin, FormError, readForm } from '../forms.js';
import type { PageRequest } from '../page-request.js';

/**
 * A signed-in member's form POST: refused without a session, from another site, or without
 * the session's CSRF token, before anything in it is read as an answer.
 */
export async function postedForm(request: PageRequest): Promise<{ session: WebSession; form: URLSearchParams }> {
  const session = request.session;
  if (!session) throw new FormError(403, 'you are not signed in');
  checkSameOrigin(request.req);
  const form = await readForm(request.req);
  checkCsrfToken(form, session.csrfToken);
  return { session, form };
}

/** The `version` a form carries back: the one the member saw. */
export function postedVersion(form: URLSearchParams): number {
  const version = Number(form.get('version'));
  if (!Number.isInteger(version) || version < 0) throw new FormError(400, 'the form did not say which version you changed');
  return version;
}
