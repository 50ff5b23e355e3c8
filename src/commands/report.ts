/** `ngo report …`: reports for funders, volunteers and licensing boards. */
import type { Register } from './common.js';
import { addGrantsReport } from './report-grants.js';
import { addFunderReport, addHoursReport, addTaxReport } from './report-main.js';
import { addSupervisionReport } from './report-supervision.js';

export const registerReport: Register = (program, env) => {
  const report = program.command('report').description('reports for funders, volunteers and licensing boards');
  addFunderReport(report, env);
  addTaxReport(report, env);
  addHoursReport(report, env);
  addSupervisionReport(report, env);
  addGrantsReport(report, env);
};
