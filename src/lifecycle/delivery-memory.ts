// Remembered delivery ids make redeliveries harmless. The list is bounded (oldest forgotten
// first) because it is carried through continue-as-new and must not grow with the PR's age;
// GitHub redelivers within hours, so a few hundred recent ids cover every realistic retry.

export interface DeliveryCheck {
  readonly duplicate: boolean;
  readonly remembered: string[];
}

export function rememberDelivery(remembered: readonly string[], deliveryId: string, limit: number): DeliveryCheck {
  if (remembered.includes(deliveryId)) return { duplicate: true, remembered: [...remembered] };
  const next = [...remembered, deliveryId];
  return { duplicate: false, remembered: next.slice(Math.max(0, next.length - limit)) };
}
