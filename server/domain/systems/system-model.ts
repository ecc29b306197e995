import type { CouncilSystemRow } from '../../db/database.js';

/** The kinds of major system councils buy, as their procurement teams group them. */
export const SYSTEM_CATEGORIES = [
  'revenues_benefits', 'social_care', 'housing_management', 'planning_building_control', 'waste_management',
  'finance', 'hr_payroll', 'customer_contact', 'document_management', 'education', 'highways_assets',
  'licensing_environmental_health', 'gis', 'other',
] as const;
export type SystemCategory = (typeof SYSTEM_CATEGORIES)[number];

/** The most systems one council records: enough for every major line of business, and bounded. */
export const MAX_SYSTEMS_PER_COUNCIL = 30;

/** "Contracts ending within N months": N is at most ten years out. */
export const MAX_MONTHS_AHEAD = 120;

export interface CouncilSystem {
  readonly id: string;
  readonly councilId: string;
  readonly category: SystemCategory;
  readonly supplier: string;
  readonly product: string;
  /** ISO date (YYYY-MM-DD), or null when the council has not said. */
  readonly contractEndsOn: string | null;
  readonly updatedAt: Date;
}

export function toCouncilSystem(row: CouncilSystemRow): CouncilSystem {
  return {
    id: row.id,
    councilId: row.council_id,
    category: row.category as SystemCategory,
    supplier: row.supplier,
    product: row.product,
    contractEndsOn: row.contract_ends_on,
    updatedAt: row.updated_at,
  };
}

/**
 * What "the same system" compares: supplier and product with case, accents' forms and
 * spacing folded, so "Capita " and "capita" match while different products do not.
 */
export function systemKey(supplier: string, product: string): string {
  const fold = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  return `${fold(supplier)}\u001f${fold(product)}`;
}

/** A system named by supplier and product, as filters take it. */
export interface SystemName {
  readonly supplier: string;
  readonly product: string;
}
