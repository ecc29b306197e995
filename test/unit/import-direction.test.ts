import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Imports run one way: schema/, workers/ and web/ build on server/, never the reverse,
 * except in the composition root that wires them together; the kernel builds on nothing
 * of ours. Parsed with TypeScript's own pre-processor, so dynamic and type-only imports
 * count too.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const COMPOSITION_ROOT = new Set(['server/app.ts', 'server/main.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import of a file, as a repository path. */
function localImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => relative(ROOT, resolve(ROOT, dirname(file), name)));
}

function violations(files: readonly string[], forbidden: (target: string) => boolean): string[] {
  return files.flatMap((file) => localImports(file).filter(forbidden).map((target) => `${file} -> ${target}`));
}

describe('import direction', () => {
  const server = sourceFiles('server');

  it('finds the imports it checks', () => {
    expect(localImports('server/app.ts')).toContain('schema/index.js');
  });

  it('server/ imports nothing from schema/, workers/ or web/ outside the composition root', () => {
    const upward = (target: string) => /^(schema|workers|web)\//.test(target);
    expect(violations(server.filter((file) => !COMPOSITION_ROOT.has(file)), upward)).toEqual([]);
  });

  it('the kernel imports nothing of ours but itself', () => {
    const kernel = server.filter((file) => file.startsWith('server/kernel/'));
    expect(kernel.length).toBeGreaterThan(0);
    expect(violations(kernel, (target) => !target.startsWith('server/kernel/'))).toEqual([]);
  });
});
