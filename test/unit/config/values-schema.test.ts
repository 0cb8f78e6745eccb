import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configJsonSchema, withConfigSchema } from '../../../src/config/config-json-schema';
import { previewdConfigObject } from '../../../src/config/previewd-config';

const FILE = resolve(__dirname, '../../../charts/previewd/values.schema.json');

describe("the chart's values.schema.json", () => {
  const committed = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>;

  it('types `config` exactly as the zod config schema generates it (else: npm run schema:values, and commit)', () => {
    const generated = (withConfigSchema(committed).properties as Record<string, unknown>).config;
    const current = (committed.properties as Record<string, unknown>).config;
    if (JSON.stringify(current) !== JSON.stringify(generated)) {
      throw new Error('charts/previewd/values.schema.json `config` differs from the zod config schema: run `npm run schema:values` and commit the file');
    }
  });

  it('is generated from the real schema: a field the config has is there with its constraints, an unknown one is refused', () => {
    const schema = configJsonSchema() as { properties: Record<string, { properties?: Record<string, unknown> }>; additionalProperties: unknown };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(previewdConfigObject.shape).sort());
    expect(schema.properties.temporal?.properties?.namespace).toMatchObject({ type: 'string', minLength: 1 });
  });

  it('spells code points in patterns the way Go regexp (Helm) reads them', () => {
    const patterns = JSON.stringify(configJsonSchema()).match(/"pattern":"(?:[^"\\]|\\.)*"/g) ?? [];
    expect(patterns.length).toBeGreaterThan(0);
    expect(patterns.filter((p) => /\\\\u[0-9a-fA-F]{4}/.test(p))).toEqual([]);
  });
});
