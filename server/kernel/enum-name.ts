/**
 * The API's one spelling of an enum value. The database stores enum values in lower case
 * (`waste`, `10k_to_50k`); the schema, event payloads, webhook bodies and open data files
 * all give the GraphQL name (`WASTE`, `FROM_10K_TO_50K`).
 */
export const ENUM_NAME_EXCEPTIONS: Readonly<Record<string, string>> = {
  '10k_to_50k': 'FROM_10K_TO_50K',
  '50k_to_250k': 'FROM_50K_TO_250K',
};

export function enumName(stored: string): string {
  return ENUM_NAME_EXCEPTIONS[stored] ?? stored.toUpperCase();
}
