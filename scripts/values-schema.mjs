// Regenerates the `config` property of charts/previewd/values.schema.json from the zod config
// schema (src/config/config-json-schema.ts). `npm run schema:values`; commit the result.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
require('@swc-node/register');
const { withConfigSchema } = require('../src/config/config-json-schema.ts');

const file = resolve(dirname(fileURLToPath(import.meta.url)), '../charts/previewd/values.schema.json');
const current = JSON.parse(readFileSync(file, 'utf8'));
writeFileSync(file, `${JSON.stringify(withConfigSchema(current), null, 2)}\n`);
console.log(`schema:values: wrote ${file}`);
