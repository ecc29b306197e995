/**
 * Engines mark matches with these control characters, which content can never contain
 * (server/domain/input-checker.ts rejects them). The text is then HTML-escaped and the
 * markers become `<mark>` tags, so a highlight is safe to render as HTML whatever the
 * author typed.
 */
export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function toHighlightHtml(marked: string): string {
  return marked
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!)
    .replaceAll(MATCH_START, '<mark>')
    .replaceAll(MATCH_END, '</mark>');
}

export function escapeHtml(text: string): string {
  return toHighlightHtml(text.replaceAll(MATCH_START, '').replaceAll(MATCH_END, ''));
}
