import { meetsTarget, type BenchFigure, type BenchSectionResult, type BenchTarget } from './section.js';
import { formatNumber, formatTable } from './table.js';

/** A section as run by the bench: its result, or the error that stopped it. */
export type SectionOutcome = (
  | (BenchSectionResult & { readonly error?: undefined })
  | { readonly name: string; readonly error: string; readonly failures?: undefined }
) & {
  /** Wall time, and the CPU time the bench process got in it. */
  readonly seconds: number;
  readonly cpuSeconds: number;
};

/** The section's table (figure, unit, median, min, max, ratio, target, met/missed), then its notes and failures. */
export function formatSection(outcome: SectionOutcome): string {
  const heading = `== ${outcome.name} (${formatNumber(outcome.seconds)} s, ${formatNumber(outcome.cpuSeconds)} s of CPU) ==`;
  if (outcome.error !== undefined) return [heading, `FAILED: ${outcome.error}`].join('\n');
  const rows = outcome.figures.map((figure) => [
    figure.label,
    figure.unit,
    figure.median,
    figure.min,
    figure.max,
    figure.ratio === undefined ? '-' : `${formatNumber(figure.ratio.value)} x ${figure.ratio.to}`,
    figure.target === undefined ? '-' : formatTarget(figure.target),
    verdict(figure),
  ]);
  return [
    heading,
    formatTable(['figure', 'unit', 'median', 'min', 'max', 'ratio', 'target', 'met'], rows),
    ...outcome.notes.map((note) => `  ${note}`),
    ...(outcome.failures ?? []).map((failure) => `  FAILED: ${failure}`),
  ].join('\n');
}

/** Every target met or missed, and every section or figure that failed. */
export function formatSummary(outcomes: readonly SectionOutcome[]): string {
  const lines: string[] = [];
  let met = 0;
  let missed = 0;
  for (const outcome of outcomes) {
    if (outcome.error !== undefined) {
      lines.push(`  FAILED   ${outcome.name}: ${outcome.error}`);
      continue;
    }
    for (const figure of outcome.figures) {
      const result = meetsTarget(figure);
      if (figure.target === undefined) continue;
      if (result === true) met += 1;
      if (result === false) missed += 1;
      const value = figure.target.of === 'ratio' ? `${formatNumber(figure.ratio?.value ?? Number.NaN)} x` : `${formatNumber(figure.median)} ${figure.unit}`;
      lines.push(`  ${verdict(figure).padEnd(8)} ${outcome.name}: ${figure.label} = ${value} (target ${formatTarget(figure.target)})`);
    }
    for (const failure of outcome.failures ?? []) lines.push(`  FAILED   ${outcome.name}: ${failure}`);
  }
  return [`== targets: ${met} met, ${missed} missed ==`, ...lines].join('\n');
}

function formatTarget(target: BenchTarget): string {
  return `${target.kind === 'atLeast' ? '>=' : '<='} ${formatNumber(target.value)}${target.of === 'ratio' ? ' x' : ''}`;
}

function verdict(figure: BenchFigure): string {
  const result = meetsTarget(figure);
  if (result === undefined) return figure.target === undefined ? '-' : 'unknown';
  return result ? 'met' : 'MISSED';
}
