/** Every command module, in help order. */
import type { Register } from './common.js';
import { registerAdmin } from './admin.js';
import { registerPeople } from './people.js';
import { registerFunders, registerPrograms } from './orgs.js';
import { registerDemo } from './demo.js';
import { registerGrants } from './grants.js';
import { registerReport } from './report.js';
import { registerRates } from './rates.js';
import { registerHours } from './hours.js';
import { registerSupervision } from './supervision.js';
import { registerMentorship } from './mentorship.js';

export const COMMANDS: Register[] = [registerDemo, registerAdmin, registerPeople, registerPrograms, registerFunders, registerGrants, registerRates, registerReport, registerHours, registerSupervision, registerMentorship];
