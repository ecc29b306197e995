const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Markup that is already safe: produced by `html`, the Markdown renderer or `safeHighlight`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string { return this.value; }
}

export type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false || value === true) return '';
  return escapeHtml(String(value));
}

/**
 * The only way pages build markup: every interpolated value is escaped unless it is
 * already SafeHtml, so nothing unescaped reaches a page by accident. Attribute values
 * must be quoted in the template; escaping covers both quote characters.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * A search highlight from the API (escaped text with `<mark>` around matches), rebuilt
 * here rather than trusted: everything but the mark tags is decoded and escaped again.
 */
export function safeHighlight(highlight: string): SafeHtml {
  const parts = highlight.split(/(<\/?mark>)/);
  return new SafeHtml(parts.map((part) => (part === '<mark>' || part === '</mark>')
    ? part
    : escapeHtml(part.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!))).join(''));
}
