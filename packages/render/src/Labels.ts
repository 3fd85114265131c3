import { formatHarborLocation, formatMirrorRule, formatReference, parseReference } from '@imgalias/core';
import { printable } from '@imgalias/core/internal';
import type { AliasPolicy, Finding, PlanMismatch, StoreError, TagReason } from '@imgalias/core';

/**
 * How plan data is labelled for people: familiar names, short image ids, reasons, the policy in one line.
 * Everything here may be fed untrusted text (a plan decoded from a file), so nothing returned by
 * `printable` can move a terminal cursor or end a line.
 */

/**
 * core's `familiarName`, safe to print: `docker.io/library/redis:7-alpine` -> `redis:7-alpine`. A name that does
 * not parse (a hand-edited plan) is shown as it is, made printable, rather than hidden: the reviewer should see
 * exactly what is there. (`familiarName` returns such a string unchanged, escapes and all.)
 */
export const familiarLabel = (name: string): string => {
  const parsed = parseReference(name);
  return parsed._tag === 'Right' ? formatReference(parsed.right, 'familiar') : printable(name);
};

/**
 * The 12 hex digits `docker images` shows, keeping the algorithm so a reader can tell an image id from a
 * digest: `sha256:abcd12345678`.
 */
export const shortImageId = (id: string): string => {
  const match = /^([a-z0-9]+):([0-9a-f]{13,})$/.exec(id);
  if (match !== null) return `${match[1]}:${match[2]!.slice(0, 12)}`;
  return printable(/^[0-9a-f]{13,}$/.test(id) ? id.slice(0, 12) : id);
};

export const describeReason = (reason: TagReason, replaces?: string): string => {
  switch (reason) {
    case 'missing-name':
      return 'missing name';
    case 'retarget':
      return replaces === undefined ? 'retarget' : `retarget, replaces ${shortImageId(replaces)}`;
  }
};

/** The kind of a finding in a word or three, shown before core's `describeFinding` sentence. */
export const FINDING_KIND: Readonly<Record<Finding['_tag'], string>> = {
  Conflict: 'conflict',
  Missing: 'missing',
  AmbiguousMirror: 'ambiguous mirror',
  MirrorTooDeep: 'mirror too deep',
  DigestReference: 'digest reference',
  InvalidRequest: 'invalid request',
  InvalidSnapshotName: 'invalid snapshot name',
};

const onOff = (flag: boolean): string => (flag ? 'on' : 'off');

/**
 * `mode internal, harbor harbor.corp.local/proj (layout path), short names off, on conflict report`. Harbor
 * tags are named only when on (`publish` turns them on right before a push): no setting a user can give turns
 * them on, so "off" on every plan would name a switch that does not exist.
 */
export const describePolicy = (policy: AliasPolicy): string =>
  [
    `mode ${policy.mode}`,
    policy.harbor === undefined
      ? 'no harbor'
      : `harbor ${formatHarborLocation(policy.harbor)} (layout ${policy.harborLayout})`,
    ...(policy.mirrors === undefined || policy.mirrors.length === 0 ? [] : [`mirrors ${policy.mirrors.map(formatMirrorRule).join(' ')}`]),
    `short names ${onOff(policy.shortNames)}`,
    `on conflict ${policy.onConflict}`,
    ...(policy.harborTags ? ['harbor tags on (publish: Harbor names are tagged before the push)'] : []),
  ]
    .map((part) => printable(part))
    .join(', ');

// One escaping function for every renderer and message: core's.
export { printable } from '@imgalias/core/internal';

/**
 * A store error in one printable line, for a result row: the engine's own words are kept (they are what a
 * search finds); only a timeout or an interrupt, which have no engine output, are put in ours. The full
 * sentence with a hint is adapter-docker's `describeStoreError`.
 */
export const summariseStoreError = (error: StoreError): string => {
  const message =
    error._tag === 'Timeout'
      ? `timed out after ${error.timeoutMs} ms (the engine is slow; raise the engine timeout: --timeout, config engineTimeout)`
      : error._tag === 'Cancelled'
        ? 'cancelled by an interrupt; it may or may not have taken effect'
        : error.message;
  return printable(message.trim().replace(/\s*\r?\n\s*/g, ' '));
};

/** Why an action was left alone because its target changed under us, in one clause. */
export const describeChangedTarget = (result: { readonly expected?: string; readonly found?: string }): string =>
  `changed under us: the snapshot had it ${result.expected === undefined ? 'absent' : shortImageId(result.expected)}, now it ${
    result.found === undefined ? 'is absent' : `points at ${shortImageId(result.found)}`
  }; left alone, plan again`;

/** One planned name that the verifying read found elsewhere, in one clause. */
export const describeMismatch = (mismatch: PlanMismatch): string =>
  `${familiarLabel(mismatch.name)} ${mismatch.found === undefined ? 'is absent' : `points at ${shortImageId(mismatch.found)}`}, planned ${shortImageId(mismatch.planned)}`;
