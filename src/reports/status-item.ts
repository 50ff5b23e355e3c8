/**
 * One line of `ngo status` (Contract v2 / New commands): something that needs an administrator's
 * attention now. Each feature that has such items exports a source of them (a StatusSource), and
 * `ngo status` lists the items of every source, grouped by area. CSV/JSON columns are these fields in
 * this order: area,severity,subject,detail,due_date,command.
 */
export interface StatusItem {
  /** The group: hours, grants, disbursements, requirements, mentorship, supervision, licences, letters, database… */
  area: string;
  /** `overdue` (a date has passed, or a rule is broken), `due` (a date is near), `info` (to know). */
  severity: 'overdue' | 'due' | 'info';
  /** What it is about, as a person reads it: a name, a grant, a pairing (no internal id alone). */
  subject: string;
  /** One line saying what is wrong and since when (figures as reports show them: 12.50, 2026-11-03). */
  detail: string;
  /** YYYY-MM-DD, or '' when the item has no date. */
  due_date: string;
  /** The ngo command that deals with it, runnable as printed (references as `#N` or codes). */
  command: string;
}

/** What a source is given: the database and today's date (YYYY-MM-DD, from the context's clock). */
export interface StatusInput {
  /** Today, YYYY-MM-DD in the local time zone of the context's clock. */
  today: string;
}

export const STATUS_COLUMNS = ['area', 'severity', 'subject', 'detail', 'due_date', 'command'] as const;
