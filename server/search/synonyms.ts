/**
 * Local-government vocabulary: each group lists words and phrases that mean the same thing
 * to council staff. Both search engines use this one list: Meilisearch as its `synonyms`
 * setting, the Postgres engine by expanding query words (server/search/query-plan.ts).
 * Entries are lower case; phrases are matched as whole phrases.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['send', 'sen', 'special educational needs', 'special educational needs and disabilities', 'special needs'],
  ['ehcp', 'education health and care plan', 'ehc plan'],
  ['asc', 'adult social care'],
  ['csc', 'childrens social care', "children's social care"],
  ['bins', 'bin', 'waste collection', 'waste collections', 'refuse', 'refuse collection'],
  ['council tax', 'ctax'],
  ['hmo', 'house in multiple occupation', 'houses in multiple occupation'],
  ['dfg', 'disabled facilities grant'],
  ['dhp', 'discretionary housing payment'],
  ['uc', 'universal credit'],
  ['lha', 'local housing allowance'],
  ['ctr', 'council tax reduction', 'council tax support'],
  ['nndr', 'business rates', 'non-domestic rates'],
  ['fly-tipping', 'fly tipping', 'flytipping'],
  ['asb', 'anti-social behaviour', 'antisocial behaviour'],
  ['pcn', 'penalty charge notice', 'parking ticket'],
  ['dols', 'deprivation of liberty safeguards'],
  ['lac', 'cla', 'cic', 'looked after children', 'children looked after', 'children in care'],
  ['neet', 'not in education employment or training'],
  ['s106', 'section 106'],
  ['cil', 'community infrastructure levy'],
  ['ev', 'electric vehicle'],
  ['foi', 'freedom of information', 'foia'],
  ['sar', 'subject access request'],
  ['crm', 'customer relationship management'],
  ['rpa', 'robotic process automation'],
  ['gp', 'general practitioner'],
  ['vcs', 'vcse', 'voluntary and community sector', 'voluntary sector'],
  ['cms', 'content management system'],
  ['ta', 'temporary accommodation'],
  ['ot', 'occupational therapist', 'occupational therapy'],
  ['lgr', 'local government reorganisation', 'unitary reorganisation', 'reorganisation', 'unitarisation'],
  ['llpg', 'local land and property gazetteer'],
  ['uprn', 'unique property reference number'],
  ['rbi', 'registered building inspector'],
  ['soc', 'security operations centre'],
  ['epc', 'energy performance certificate'],
  ['phv', 'private hire vehicle', 'private hire'],
  ['dd', 'direct debit'],
  ['m365', 'microsoft 365', 'office 365'],
  ['ehc', 'education health and care'],
  ['stl', 'short-term let', 'short term let', 'holiday let', 'airbnb'],
  ['domiciliary care', 'homecare', 'home care'],
  ['supporting families', 'troubled families'],
  ['stop smoking', 'smoking cessation', 'quit smoking'],
  ['bulky waste', 'bulky uplift', 'bulky item collection'],
  ['garden waste', 'green waste', 'brown bin'],
  // Everyday words and spellings staff use for the items' own terms.
  ['financial assessment', 'means test', 'means testing', 'means-tested'],
  ['ransomware', 'cyber attack', 'cyber-attack', 'cyberattack'],
  ['info', 'information'],
  ['isa', 'information sharing agreement', 'data sharing agreement'],
  ['scratchcard', 'scratch card', 'scratchcards', 'scratch cards'],
  ['stairlift', 'stair lift', 'stairlifts', 'stair lifts'],
  ['walk-in shower', 'level-access shower', 'level access shower', 'wet room'],
  ['in-year admission', 'in-year admissions', 'mid-year admission', 'mid-year admissions', 'in-year transfer'],
  ['sms', 'text message', 'text messages', 'texting'],
  ['eho', 'environmental health officer'],
  ['fhrs', 'food hygiene rating', 'food hygiene rating scheme'],
  ['cyp', 'children and young people'],
  ['uasc', 'unaccompanied asylum seeking children', 'unaccompanied asylum-seeking children'],
  ['mash', 'multi-agency safeguarding hub', 'multi agency safeguarding hub'],
  ['ehe', 'elective home education'],
  ['cme', 'children missing education'],
  ['sgo', 'special guardianship order'],
  ['hb', 'housing benefit'],
  ['hra', 'housing revenue account'],
  ['rp', 'rsl', 'registered provider', 'housing association', 'registered social landlord'],
  ['cqc', 'care quality commission'],
  ['icb', 'integrated care board'],
  ['tec', 'technology enabled care', 'technology-enabled care', 'telecare'],
  ['hwrc', 'household waste recycling centre', 'household waste and recycling centre', 'tip'],
  ['tro', 'traffic regulation order'],
  ['ltn', 'low traffic neighbourhood'],
  ['cpz', 'controlled parking zone'],
  ['bng', 'biodiversity net gain'],
  ['lpa', 'local planning authority'],
  ['dpia', 'data protection impact assessment'],
  ['gdpr', 'data protection'],
  ['ukspf', 'uk shared prosperity fund', 'shared prosperity fund'],
  ['mtfs', 'medium term financial strategy', 'medium-term financial strategy'],
  ['evcp', 'ev charge point', 'ev chargepoint', 'charge point', 'chargepoint', 'charging point'],
];

/** Every phrase, mapped to the other phrases of its group (Meilisearch's format, too). */
export function synonymMap(groups: readonly (readonly string[])[] = SYNONYM_GROUPS): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const group of groups.map(withPlurals)) {
    for (const phrase of group) {
      const others = group.filter((p) => p !== phrase);
      map[phrase] = [...new Set([...(map[phrase] ?? []), ...others])];
    }
  }
  return map;
}

// Short abbreviations that are also English words: "sends" is not several SENDs.
const NO_PLURAL = new Set(['send', 'tip', 'info', 'mash', 'cic']);

/**
 * Staff pluralise abbreviations ("UPRNs", "RBIs", "EHCPs"): neither Postgres's stemmer
 * reliably nor Meilisearch (no stemming) reduces them to the listed form, so each one-word
 * abbreviation (two to five letters or digits) is listed with its plural too.
 */
function withPlurals(group: readonly string[]): string[] {
  const plurals = group.filter((p) => /^[a-z0-9]{2,5}$/.test(p) && !p.endsWith('s') && !NO_PLURAL.has(p)).map((p) => `${p}s`);
  return [...new Set([...group, ...plurals])];
}
