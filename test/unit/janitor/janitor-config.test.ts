import { parseConfig } from '../../../src/config';

describe('janitor config', () => {
  it('defaults to an hourly janitor with a day of retention, deleting for real', () => {
    expect(parseConfig({}).janitor).toEqual({ enabled: true, interval: '1h', retention: '24h', dryRun: false });
  });

  it('accepts its knobs', () => {
    expect(parseConfig({ janitor: { enabled: false, interval: '15m', retention: '3d', dryRun: true } }).janitor).toEqual({ enabled: false, interval: '15m', retention: '3d', dryRun: true });
  });

  it('refuses a retention under the floor, naming the field', () => {
    expect(() => parseConfig({ janitor: { retention: '5m' } })).toThrow(/janitor\.retention: must be at least 10m/);
  });

  it('refuses an interval under the floor and unreadable durations', () => {
    expect(() => parseConfig({ janitor: { interval: '30s' } })).toThrow(/janitor\.interval: must be at least 1m/);
    expect(() => parseConfig({ janitor: { interval: 'hourly' } })).toThrow(/janitor\.interval: cannot read duration/);
  });

  it('refuses unknown keys', () => {
    expect(() => parseConfig({ janitor: { retension: '24h' } })).toThrow(/janitor/);
  });
});
