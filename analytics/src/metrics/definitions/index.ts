/** One definition per metric, for the metrics API and the Grafana panels and alerts (dashboards/). */
export * from './event-metrics.js';
export * from './conversation-metrics.js';
export * from './storage.js';
