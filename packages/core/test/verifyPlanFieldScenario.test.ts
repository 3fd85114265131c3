import { describe, expect, test } from '@jest/globals';
import type { Snapshot } from '@imgalias/core';
import { planMismatches, verifyPlan } from '@imgalias/core/internal';
import { applyReport, ids, plan, snapshot } from '../../../test-support/fieldScenario.js';

describe('verifyPlan', () => {
  test('false before the plan is applied', () => {
    expect(verifyPlan(snapshot, plan)).toBe(false);
  });

  test('false when one target is missing afterwards (the failed tcp-proxy tag)', () => {
    expect(verifyPlan(applyReport.after, plan)).toBe(false);
    expect(planMismatches(applyReport.after, plan)).toEqual(applyReport.mismatches);
  });

  test('true when every target points at its planned image, in any spelling', () => {
    const after: Snapshot = {
      version: 1,
      images: [
        ...applyReport.after.images,
        // Spelled as Docker lists it, not canonically: still the same name.
        { id: ids.tcpProxy, names: ['localhost/tcp-proxy:1.2', 'tcp-proxy:1.2'] },
      ],
    };
    expect(verifyPlan(after, plan)).toBe(true);
  });

  test('false when a target points at another image', () => {
    const after: Snapshot = {
      version: 1,
      images: [...applyReport.after.images, { id: ids.nginxHub, names: ['tcp-proxy:1.2'] }],
    };
    expect(verifyPlan(after, plan)).toBe(false);
  });

  test('an untagged name in the store counts as :latest', () => {
    const minio = plan.actions.find((action) => action.target === 'docker.io/minio/minio:latest')!;
    const onlyMinio = { ...plan, actions: [minio] };
    expect(verifyPlan({ version: 1, images: [{ id: ids.minio, names: ['minio/minio'] }] }, onlyMinio)).toBe(true);
  });

  test('an empty plan is trivially verified', () => {
    expect(verifyPlan(snapshot, { ...plan, actions: [] })).toBe(true);
  });
});
