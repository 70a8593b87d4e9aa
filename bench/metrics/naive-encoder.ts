// Rejected alternative: an encoder that builds every line from label objects at render time
// (the prom-client approach). `render.bench.ts` compares it with pre-rendered series prefixes.

import { type AnyMetric, HistogramSeries, type Registry, type Series } from '../../src/metrics/index.js';

function valueOf(series: Series): number {
  return (series as unknown as { value: number }).value;
}

function labelText(metric: AnyMetric, series: Series, extra?: [string, string]): string {
  const labels: Record<string, string> = {};
  metric.labelNames.forEach((n, i) => (labels[n] = series.labelValues[i] ?? ''));
  if (extra) labels[extra[0]] = extra[1];
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/** Renders a registry the naive way, from label objects at render time. */
export function renderNaively(registry: Registry): string {
  const lines: string[] = [];
  for (const metric of registry.metrics()) {
    lines.push(`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} ${metric.type}`);
    for (const series of metric.series()) {
      if (series instanceof HistogramSeries) {
        const bounds = [...(metric as unknown as { buckets: number[] }).buckets.map(String), '+Inf'];
        series.cumulativeCounts().forEach((c, i) => lines.push(`${metric.name}_bucket${labelText(metric, series, ['le', bounds[i]!])} ${c}`));
        lines.push(`${metric.name}_sum${labelText(metric, series)} ${series.sum}`, `${metric.name}_count${labelText(metric, series)} ${series.count}`);
      } else {
        lines.push(`${metric.name}${labelText(metric, series)} ${valueOf(series)}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}
