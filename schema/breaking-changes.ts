import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema as buildSdl } from 'graphql';

export interface SchemaCheck {
  /** Breaking changes the changelog lists: allowed. */
  readonly marked: readonly Change[];
  /** Breaking changes nobody wrote down: the check fails on these. */
  readonly unmarked: readonly Change[];
  /** Changes that may break some clients (a new enum value, a new union member). */
  readonly dangerous: readonly Change[];
}

/**
 * Compares the schema with the last tagged one. A breaking change is marked when the
 * `## Unreleased` section of CHANGELOG.md names its path in backticks (`Query.problems`,
 * `PublishProblemInput`): the author decided it and told integrators.
 */
export async function checkSchema(baselineSdl: string, currentSdl: string, changelog: string): Promise<SchemaCheck> {
  const changes = await diff(buildSdl(baselineSdl), buildSdl(currentSdl));
  const unreleased = /^## Unreleased\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(changelog)?.[1] ?? '';
  const named = new Set([...unreleased.matchAll(/`([A-Za-z_][\w.]*)/g)].map((m) => m[1]!));
  const isMarked = (change: Change) => {
    const parts = (change.path ?? '').split('.');
    // The change itself, or the type or field it sits in (a renamed type covers its fields).
    return parts.some((_, i) => named.has(parts.slice(0, i + 1).join('.')));
  };
  const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
  return {
    marked: breaking.filter(isMarked),
    unmarked: breaking.filter((c) => !isMarked(c)),
    dangerous: changes.filter((c) => c.criticality.level === CriticalityLevel.Dangerous),
  };
}
