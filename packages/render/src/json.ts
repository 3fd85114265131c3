import { PlanCodec, SnapshotCodec, describeRefusal } from '@imgalias/core';
import { TagActionCodec } from '@imgalias/core/internal';
import type { ActionResult, ApplyReport, Plan } from '@imgalias/core';
import { countResults } from './Summary.js';

/** 2-space indented and newline-terminated: every JSON this package writes. */
export const toJson = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Exactly the core Plan codec's form, so `--format json` output can be decoded and applied later. */
export const renderPlanJson = (plan: Plan): string => toJson(PlanCodec.encode(plan));

const encodeResult = (result: ActionResult) => {
  const action = TagActionCodec.encode(result.action);
  switch (result._tag) {
    case 'Applied':
    case 'NotStarted':
      return { _tag: result._tag, action };
    case 'Failed':
      return { _tag: result._tag, action, error: result.error };
    case 'Refused':
      return { _tag: result._tag, action, reason: result.reason, message: describeRefusal(result.reason) };
    case 'ChangedUnderUs':
      return { _tag: result._tag, action, expected: result.expected ?? null, found: result.found ?? null };
  }
};

/**
 * An apply report as JSON for scripts (`jq .summary.failed`): the counts, every result with the engine's error
 * (`Failed`) or the reason it was not run (`Refused`: the `Refusal` as data and its sentence in `message`),
 * every planned name the verifying read found elsewhere (`mismatches`, `found: null` when absent), whether the
 * run was interrupted, and the store as read afterwards, actions and snapshot in the core codecs' forms. Keys are written in a
 * fixed order so the output is stable whichever adapter produced the report.
 */
export const renderApplyReportJson = (report: ApplyReport, options: { readonly plan?: Plan } = {}): string =>
  toJson({
    version: 1,
    verified: report.verified,
    ...(report.via === undefined ? {} : { via: report.via }),
    interrupted: report.interrupted,
    mismatches: report.mismatches.map((m) => ({ name: m.name, planned: m.planned, found: m.found ?? null })),
    summary: countResults(report.results, options.plan),
    results: report.results.map(encodeResult),
    after: SnapshotCodec.encode(report.after),
  });
