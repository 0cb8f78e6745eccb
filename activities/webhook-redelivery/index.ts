// Lost-delivery recovery's activities (their contract is workflows/contract's WebhookRedeliveryActivities).
export { createRedeliveryActivities, type RedeliveryActivityDeps } from './create-redelivery-activities';
export { RedeliveryMetrics, REDELIVERY_OUTCOMES, WEBHOOK_REDELIVERIES_METRIC, WEBHOOK_FAILED_DELIVERIES_METRIC, type RedeliveryOutcome } from './redelivery-metrics';
