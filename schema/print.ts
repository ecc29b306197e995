import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSchemaSdl } from './index.js';

// Writes schema/schema.graphql; a test fails when the committed copy drifts from the code.
const target = fileURLToPath(new URL('./schema.graphql', import.meta.url));
writeFileSync(target, printSchemaSdl());
console.log(`wrote ${target}`);
