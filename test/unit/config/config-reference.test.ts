import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import {
  CONFIG_FILE_ENV,
  ENV_BINDINGS,
  GITHUB_APP_ID_ENV,
  GITHUB_APP_INSTALLATION_ID_ENV,
  GITHUB_APP_PRIVATE_KEY_ENV,
  GITHUB_APP_PRIVATE_KEY_FILE_ENV,
  GITHUB_TOKEN_ENV,
  OTEL_ENV_NAMES,
  parseConfig,
  WEBHOOK_SECRET_ENV,
  WEBHOOK_SECRET_PREVIOUS_ENV,
} from '../../../src/config';

// docs/config.md is the reference people read; these keep it from drifting from the code.
const doc = readFileSync(resolve(__dirname, '../../../docs/config.md'), 'utf8');

test('every environment variable the loader reads is documented, with the field it sets', () => {
  for (const binding of ENV_BINDINGS) expect(doc).toContain(`| \`${binding.name}\` | \`${binding.path}\``);
  for (const name of [CONFIG_FILE_ENV, WEBHOOK_SECRET_ENV, WEBHOOK_SECRET_PREVIOUS_ENV, GITHUB_TOKEN_ENV, GITHUB_APP_ID_ENV, GITHUB_APP_INSTALLATION_ID_ENV, GITHUB_APP_PRIVATE_KEY_ENV, GITHUB_APP_PRIVATE_KEY_FILE_ENV]) {
    expect(doc).toContain(`\`${name}\``);
  }
  // The standard OpenTelemetry variables previewd reads, each in the telemetry section's table.
  for (const name of OTEL_ENV_NAMES) expect(doc).toMatch(new RegExp(`^\\| [^|]*\`${name}\``, 'm'));
});

test('every top-level section has its own heading', () => {
  for (const section of Object.keys(parseConfig({}))) expect(doc).toMatch(new RegExp(`^## .*\`${section}\``, 'm'));
});

test('the example in the reference is a valid config', () => {
  const example = /## Example\n\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
  expect(example).toBeDefined();
  expect(() => parseConfig(parse(example ?? ''))).not.toThrow();
});
