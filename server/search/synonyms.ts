/**
 * Local-government vocabulary: each group lists words and phrases that mean the same thing
 * to council staff. Both search engines use this one list: Meilisearch as its `synonyms`
 * setting, the Postgres engine by expanding query words (server/search/query-plan.ts).
 * Entries are lower case; phrases are matched as whole phrases.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['send', 'sen', 'special educational needs', 'special educational needs and disabilities'],
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
  ['lac', 'looked after children', 'children in care'],
  ['neet', 'not in education employment or training'],
  ['s106', 'section 106'],
  ['cil', 'community infrastructure levy'],
  ['ev', 'electric vehicle'],
  ['foi', 'freedom of information'],
  ['sar', 'subject access request'],
  ['crm', 'customer relationship management'],
  ['rpa', 'robotic process automation'],
  ['gp', 'general practitioner'],
  ['vcs', 'vcse', 'voluntary and community sector', 'voluntary sector'],
  ['cms', 'content management system'],
  ['ta', 'temporary accommodation'],
  ['ot', 'occupational therapist', 'occupational therapy'],
  ['lgr', 'local government reorganisation'],
  ['llpg', 'local land and property gazetteer'],
  ['uprn', 'unique property reference number'],
  ['rbi', 'registered building inspector'],
  ['soc', 'security operations centre'],
  ['epc', 'energy performance certificate'],
  ['phv', 'private hire vehicle', 'private hire'],
  ['dd', 'direct debit'],
  ['m365', 'microsoft 365', 'office 365'],
  ['ehc', 'education health and care'],
  ['stl', 'short-term let', 'short term let', 'holiday let'],
  ['domiciliary care', 'homecare', 'home care'],
  ['supporting families', 'troubled families'],
  ['stop smoking', 'smoking cessation', 'quit smoking'],
  ['bulky waste', 'bulky uplift', 'bulky item collection'],
  ['garden waste', 'green waste', 'brown bin'],
];

/** Every phrase, mapped to the other phrases of its group (Meilisearch's format, too). */
export function synonymMap(groups: readonly (readonly string[])[] = SYNONYM_GROUPS): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const group of groups) {
    for (const phrase of group) {
      const others = group.filter((p) => p !== phrase);
      map[phrase] = [...new Set([...(map[phrase] ?? []), ...others])];
    }
  }
  return map;
}
