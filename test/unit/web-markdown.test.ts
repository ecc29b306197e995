import { describe, expect, it } from 'vitest';
import { html, safeHighlight, SafeHtml } from '../../web/html.js';
import { createMarkdown } from '../../web/markdown.js';

const markdown = createMarkdown();
const render = (source: string) => markdown.render(source).value;

describe('Markdown from authors is rendered inert', () => {
  it('shows a <script> block as text, never as an element', () => {
    const out = render('Before\n\n<script>alert(document.cookie)</script>\n\nAfter');
    expect(out).not.toMatch(/<script/i);
    expect(out).toContain('&lt;script&gt;alert(document.cookie)&lt;/script&gt;');
  });

  it('shows inline raw HTML with event handlers as text', () => {
    const out = render('Look: <img src=x onerror="alert(1)"> and <a href="#" onclick="alert(2)">here</a>');
    expect(out).not.toMatch(/<img|<a href="#"/i);
    expect(out).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    const tags = out.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.filter((t) => /\son\w+\s*=/i.test(t))).toEqual([]);
  });

  it.each([
    ['javascript:', '[click me](javascript:alert(1))'],
    ['JavaScript: in mixed case with spaces', '[click me]( JavaScript:alert(1) )'],
    ['an entity-encoded javascript:', '[click me](&#106;avascript:alert(1))'],
    ['vbscript:', '[click me](vbscript:msgbox(1))'],
    ['data:', '[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
  ])('refuses a %s link: no anchor is made', (_, source) => {
    const out = render(source);
    expect(out).not.toMatch(/<a\s/i);
    expect(out).not.toMatch(/href=/i);
  });

  it('refuses javascript: in an image and in an autolink', () => {
    expect(render('![x](javascript:alert(1))')).not.toMatch(/<img/i);
    expect(render('<javascript:alert(1)>')).not.toMatch(/<a\s/i);
  });

  it('keeps http(s), mailto and relative links, marked so they do not leak the page', () => {
    const out = render('[guide](https://www.gov.uk/service-manual) [mail](mailto:team@example.gov.uk) [here](/councils/york)');
    expect(out).toContain('<a href="https://www.gov.uk/service-manual" class="govuk-link" rel="noopener noreferrer nofollow">guide</a>');
    expect(out).toContain('href="mailto:team@example.gov.uk"');
    expect(out).toContain('href="/councils/york"');
  });

  it('escapes quotes in link addresses so they cannot open an attribute', () => {
    const out = render('[x](https://example.org/"onmouseover="alert(1))');
    expect(out).not.toMatch(/"\s*onmouseover=/i);
  });

  it('gives GOV.UK classes and starts author headings below the page heading', () => {
    const out = render('# Heading\n\nText\n\n- one\n- two');
    expect(out).toContain('<h3 class="govuk-heading-s">Heading</h3>');
    expect(out).toContain('<p class="govuk-body">Text</p>');
    expect(out).toContain('<ul class="govuk-list govuk-list--bullet">');
  });
});

describe('page templates escape by default', () => {
  it('escapes every interpolated string, in text and in attributes', () => {
    const hostile = `"><script>alert('x')</script>&`;
    const out = html`<a href="${hostile}">${hostile}</a>`.value;
    expect(out).toBe('<a href="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</a>');
  });

  it('inserts SafeHtml and lists of it as they are, and drops null, undefined and booleans', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`${[inner, 'x&y']}${null}${undefined}${false}`.value).toBe('<b>&lt;i&gt;</b>x&amp;y');
    expect(html`${'a'}`).toBeInstanceOf(SafeHtml);
  });

  it('rebuilds search highlights: only <mark> survives', () => {
    expect(safeHighlight('<mark>Missed</mark> bin &amp; <b>x</b> &lt;script&gt;').value)
      .toBe('<mark>Missed</mark> bin &amp; &lt;b&gt;x&lt;/b&gt; &lt;script&gt;');
  });
});
