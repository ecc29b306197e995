import type { EnvReaders } from './config-hardening.js';
import { encodeGlobalId, subjectTypename } from './kernel/global-id.js';

/**
 * PUBLIC_URL: the address readers use for the hub's pages, for links that leave it (emails,
 * webhook bodies). Without it, the local address of this process.
 */
export function readPublicUrl(env: Record<string, string | undefined>, port: number, read: Pick<EnvReaders, 'nonEmpty' | 'fail'>): string {
  const publicUrl = (read.nonEmpty(env.PUBLIC_URL) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(publicUrl)) read.fail('PUBLIC_URL must start with http:// or https://');
  return publicUrl;
}

const PAGES: Readonly<Record<string, string>> = { problem: 'problems', solution: 'solutions', case_study: 'case-studies' };

/** The page of a problem, solution or case study; null for a subject with no page of its own. */
export function itemUrl(publicUrl: string, subjectType: string, id: string): string | null {
  const page = PAGES[subjectType];
  return page ? `${publicUrl}/${page}/${encodeGlobalId(subjectTypename(subjectType), id)}` : null;
}
