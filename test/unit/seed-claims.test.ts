import { describe, expect, it } from 'vitest';
import { InputChecker } from '../../server/domain/input-checker.js';
import { CASE_STUDIES } from '../../seeds/case-studies.js';
import { COMMENTS } from '../../seeds/comments.js';
import { FICTIONAL_COUNCILS } from '../../seeds/councils.js';
import { PROBLEMS } from '../../seeds/problems.js';
import { SOLUTIONS } from '../../seeds/solutions.js';

/**
 * What a sample item says about a real council must be backed by a public source, or say
 * nothing checkable: no figures (amounts, percentages, counts) without a source link.
 */

// Digits that are names, not figures: years, product and standard names, the canvass routes.
const NOT_FIGURES = /\b(19|20)\d\d\b|\b(Microsoft|M) ?365\b|\b24\/7\b|\bE[35]\b|\bRoute [12]\b|\bNR3S\b|\bISO ?\d+\b|\bWCAG ?2(\.\d)?\b|\bBS ?7666\b|\b[Ss]ection \d+\b/gi;

/** The sentences of `text` that state a figure. */
export function figuresIn(text: string): string[] {
  return text.replace(NOT_FIGURES, '').split(/(?<=[.;:!?])\s+|\n+/).filter((sentence) => /\d/.test(sentence));
}

interface Claim { readonly what: string; readonly council: string; readonly text: string; readonly source?: string }

function claims(): Claim[] {
  const out: Claim[] = [];
  for (const p of PROBLEMS) {
    out.push({ what: `problem ${p.key}`, council: p.council, text: [p.title, p.summary, p.body].join('\n'), source: p.sourceUrl });
    for (const s of p.supporters ?? []) out.push({ what: `${s.council} supporting ${p.key}`, council: s.council, text: s.note ?? '' });
  }
  for (const s of SOLUTIONS) {
    out.push({ what: `solution ${s.key}`, council: s.council, text: [s.title, s.summary, s.body].join('\n'), source: s.sourceUrl });
    for (const a of s.adoptions ?? []) out.push({ what: `${a.council} adopting ${s.key}`, council: a.council, text: a.note ?? '' });
  }
  for (const c of CASE_STUDIES) {
    out.push({
      what: `case study ${c.key}`, council: c.council, source: c.evidenceUrl,
      text: [c.title, c.summary, c.body, c.lessons, c.costPounds ?? '', c.savingsClaimedPounds ?? ''].join('\n'),
    });
  }
  for (const c of COMMENTS) out.push({ what: `comment by ${c.council}`, council: c.council, text: c.body });
  return out;
}

/** Claims about real councils that state figures with no source behind them. */
function unsourcedFigures(all: readonly Claim[]): { what: string; figures: string[] }[] {
  return all
    .filter((c) => !FICTIONAL_COUNCILS.has(c.council) && !c.source)
    .map((c) => ({ what: c.what, figures: figuresIn(c.text) }))
    .filter((c) => c.figures.length > 0);
}

const isWellFormedUrl = (url: string) => {
  const check = new InputChecker();
  const cleaned = check.url('url', url);
  try {
    check.check();
  } catch {
    return false;
  }
  if (!cleaned) return false;
  const parsed = new URL(url);
  return parsed.protocol === 'https:' && parsed.hostname.includes('.') && !/\s/.test(url) && !parsed.hostname.endsWith('.example');
};

describe('claims about real councils in the sample data', () => {
  it('finds figures in a sentence, and not in names that carry digits', () => {
    expect(figuresIn('Our SEND budget overspent by £9m. It is hard.')).toEqual(['Our SEND budget overspent by £9m.']);
    expect(figuresIn('Take-up rose to 19%')).toHaveLength(1);
    expect(figuresIn('We approve about 40 households a year')).toHaveLength(1);
    expect(figuresIn('Microsoft 365 licences, Route 2 properties, NR3S checks, since 2011')).toEqual([]);
  });

  it('flags an unsourced figure about a real council, but not one with a source or about a fictional council', () => {
    const fictional = [...FICTIONAL_COUNCILS][0]!;
    expect(unsourcedFigures([
      { what: 'a', council: 'bristol', text: 'Calls fell by 45%.' },
      { what: 'b', council: 'bristol', text: 'Calls fell by 45%.', source: 'https://www.bristol.gov.uk/news' },
      { what: 'c', council: fictional, text: 'Calls fell by 45%.' },
    ])).toEqual([{ what: 'a', figures: ['Calls fell by 45%.'] }]);
  });

  it('states no figure about a real council without a public source', () => {
    expect(unsourcedFigures(claims())).toEqual([]);
  });

  it('gives every case study, whatever its council, the public page its account comes from', () => {
    expect(CASE_STUDIES.length).toBeGreaterThan(0);
    const unsourced = CASE_STUDIES.filter((c) => !c.evidenceUrl || !isWellFormedUrl(c.evidenceUrl)).map((c) => c.key);
    expect(unsourced).toEqual([]);
  });

  it('links only well-formed https addresses, each used for one item at most', () => {
    const urls = [
      ...PROBLEMS.flatMap((p) => (p.sourceUrl ? [p.sourceUrl] : [])),
      ...SOLUTIONS.flatMap((s) => [s.sourceUrl, s.url].filter((u): u is string => u !== undefined)),
      ...CASE_STUDIES.map((c) => c.evidenceUrl),
    ];
    expect(urls.length).toBeGreaterThan(10);
    for (const url of urls) expect(isWellFormedUrl(url), url).toBe(true);
    const evidence = CASE_STUDIES.map((c) => c.evidenceUrl);
    expect(evidence.filter((u, i) => evidence.indexOf(u) !== i)).toEqual([]);
  });

  it('tells the URL check apart from a malformed address', () => {
    for (const bad of ['http://insecure.gov.uk/x', 'https://nohost/x', 'www.bristol.gov.uk/page', 'https://a b.gov.uk', 'https://council.example/x']) {
      expect(isWellFormedUrl(bad), bad).toBe(false);
    }
  });
});
