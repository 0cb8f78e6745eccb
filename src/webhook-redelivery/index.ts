// Lost-delivery recovery's pure decisions: which failed webhook deliveries to ask GitHub again.
export { isDelivered, isWithinWindow, pageReachesWindowStart, selectRedeliveries, type RedeliverySelection, type RedeliveryWindow } from './select-redeliveries';
