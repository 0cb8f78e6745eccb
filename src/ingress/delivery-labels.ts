import type { FastifyRequest } from 'fastify';

// What the metrics hook needs to know about a request once the reply is out: set by the
// handler (or the error handler), read by onResponse, gone with the request.

export interface DeliveryLabels {
  readonly event: string;
  readonly action: string;
  readonly result: string;
}

const labels = new WeakMap<FastifyRequest, DeliveryLabels>();

export function setDeliveryLabels(request: FastifyRequest, value: DeliveryLabels): void {
  labels.set(request, value);
}

export function deliveryLabels(request: FastifyRequest): DeliveryLabels | undefined {
  return labels.get(request);
}
