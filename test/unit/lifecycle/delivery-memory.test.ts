import { rememberDelivery } from '../../../src/lifecycle';

describe('rememberDelivery', () => {
  it('flags a repeated delivery id', () => {
    const first = rememberDelivery([], 'a', 10);
    expect(first).toEqual({ duplicate: false, remembered: ['a'] });
    expect(rememberDelivery(first.remembered, 'a', 10)).toEqual({ duplicate: true, remembered: ['a'] });
  });

  it('stays bounded, forgetting the oldest first', () => {
    let remembered: string[] = [];
    for (let i = 0; i < 25; i++) remembered = rememberDelivery(remembered, `d${i}`, 10).remembered;
    expect(remembered).toHaveLength(10);
    expect(remembered[0]).toBe('d15');
    expect(rememberDelivery(remembered, 'd24', 10).duplicate).toBe(true);
    expect(rememberDelivery(remembered, 'd0', 10).duplicate).toBe(false);
  });

  it('is plain JSON (it travels through continue-as-new)', () => {
    const { remembered } = rememberDelivery(['x'], 'y', 10);
    expect(JSON.parse(JSON.stringify(remembered))).toEqual(remembered);
  });
});
