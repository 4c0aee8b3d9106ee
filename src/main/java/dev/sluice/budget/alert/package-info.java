/**
 * Threshold alerts. {@link dev.sluice.budget.alert.AlertDispatcher} receives each crossing once (deduplicated across
 * replicas by the counter store), builds the payload off the event loop — spend, percent, period end, the
 * weekday-weighted projection with its band, the trend against the previous 7 days, the policy that now applies —
 * and delivers it to the budget's sinks with bounded retries: a generic JSON webhook, a Slack-compatible incoming
 * webhook, or email over SMTP. The queue is bounded; when it is full an alert is dropped, counted and logged, never
 * allowed to hold up requests.
 */
package dev.sluice.budget.alert;
