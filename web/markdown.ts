import MarkdownIt from 'markdown-it';
import { SafeHtml } from './html.js';

const SAFE_SCHEMES = /^(https?:|mailto:)/i;

/** http(s) and mailto addresses, and (when `relative`) addresses with no scheme at all. */
export function isSafeUrl(url: string, relative = false): boolean {
  const trimmed = url.trim();
  return SAFE_SCHEMES.test(trimmed) || (relative && !/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !trimmed.startsWith('//'));
}

/**
 * Renders authors' Markdown. Raw HTML is off (a `<script>` or `<img onerror>` shows as
 * text), and a link or image keeps only an http(s) or mailto address, or a relative one:
 * `javascript:`, `data:` and `vbscript:` links stay plain text.
 */
export function createMarkdown() {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
  md.validateLink = (url) => isSafeUrl(url, true);
  // Authors' links leave the hub: no referrer, no access to this page.
  const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, i, options, _env, self) => self.renderToken(tokens, i, options));
  md.renderer.rules.link_open = (tokens, i, options, env, self) => {
    tokens[i]!.attrSet('class', 'govuk-link');
    tokens[i]!.attrSet('rel', 'noopener noreferrer nofollow');
    return defaultLinkOpen(tokens, i, options, env, self);
  };
  const classed = (rule: string, className: string) => {
    md.renderer.rules[rule] = (tokens, i, options, _env, self) => {
      tokens[i]!.attrJoin('class', className);
      return self.renderToken(tokens, i, options);
    };
  };
  // The page owns h1 and h2: an author's headings start at h3.
  md.core.ruler.push('shift_headings', (state) => {
    for (const token of state.tokens) {
      if (token.type === 'heading_open' || token.type === 'heading_close') token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 2)}`;
    }
  });
  classed('paragraph_open', 'govuk-body');
  classed('bullet_list_open', 'govuk-list govuk-list--bullet');
  classed('ordered_list_open', 'govuk-list govuk-list--number');
  classed('heading_open', 'govuk-heading-s');
  return {
    render(source: string): SafeHtml {
      return new SafeHtml(md.render(source));
    },
  };
}

export type Markdown = ReturnType<typeof createMarkdown>;
