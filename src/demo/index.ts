/**
 * `ngo demo`: the seeding steps, in order. Each later feature adds its own step here.
 */
import type { App } from '../app.js';
import { seedCore, type DemoIds } from './core.js';
import { Rng } from './random.js';
import { seedGrants } from './grants.js';
import { seedHours } from './hours.js';
import { seedMentorship, seedSupervision } from './supervision.js';

export type DemoStep = (app: App, rng: Rng, ids: DemoIds) => Promise<void>;

/** Steps after the core (people, programs, funders, funding). */
export const DEMO_STEPS: DemoStep[] = [seedGrants, seedHours, seedSupervision, seedMentorship];

/** Fill the database in one transaction; returns the ids made. */
export async function seedDemo(app: App, year: number): Promise<DemoIds> {
  const rng = new Rng(20261123);
  return app.tx(async () => {
    const ids = await seedCore(app, rng, year);
    for (const step of DEMO_STEPS) await step(app, rng, ids);
    return ids;
  });
}
