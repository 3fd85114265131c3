import { expect, test } from '@jest/globals';
import { planAliases } from '@imgalias/core';
import { images, plan, policy, snapshot } from '../../../test-support/fieldScenario.js';

// The renderer goldens use the plan written out by hand, so they do not move when the planner changes.
// This keeps that hand-written plan honest: it must be what the planner makes of the scenario today.
test('the written-out field scenario plan is what planAliases produces', () => {
  expect(planAliases({ snapshot, images, policy })).toEqual(plan);
});
