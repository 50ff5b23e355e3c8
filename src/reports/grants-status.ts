/**
 * What a grant still needs (issue 21): scheduled disbursements due within DUE_WINDOW_DAYS or overdue,
 * requirements due or overdue, service commitments behind schedule, repayments owed. One computation
 * feeds `grants list` / `grants show` (the per-grant flags) and `ngo status` (the StatusSource
 * functions at the end, wired in by the status command).
 */
import type { Conn } from '../store/conn.js';
import type { StatusInput, StatusItem } from './status-item.js';
import { addDays } from '../domain/dates.js';
import { formatCents } from '../domain/money.js';
import { formatHours } from '../domain/duration.js';
import { displayName } from '../domain/people.js';
import { DUE_WINDOW_DAYS, disbursementState, requirementState, serviceSchedule, type RequirementState } from '../domain/grants.js';
import { allRepayments, allScheduled, listGrantSummaries, listRequirements, type GrantSummary, type RequirementRow } from '../store/grants.js';

export interface GrantFlags {
  /** cents of scheduled disbursements whose date has passed */
  overdueScheduled: number;
  /** requirements neither fulfilled nor waived */
  requirementsOpen: number;
  requirementsOverdue: number;
  /** the service schedule's state when the grant has a commitment with a deadline and is not cancelled */
  service: 'met' | 'overdue' | 'behind' | 'on-pace' | null;
  /** cents owed back (a cancelled grant's unmet commitment), null when none was recorded */
  repayment: number | null;
  /** the above as one line: `disbursement #2 overdue since 2026-09-01; report #1 overdue since 2026-10-01` */
  text: string;
}

const EMPTY: GrantFlags = { overdueScheduled: 0, requirementsOpen: 0, requirementsOverdue: 0, service: null, repayment: null, text: '' };

/** The last day that still counts as "due" from `today`. */
export const dueBy = (today: string): string => addDays(today, DUE_WINDOW_DAYS);

/** The flags of every grant (or of the grants given), keyed by grant id. */
export async function grantFlags(db: Conn, today: string, grants?: GrantSummary[]): Promise<Map<number, GrantFlags>> {
  const list = grants ?? (await listGrantSummaries(db));
  const by = dueBy(today);
  const out = new Map<number, GrantFlags>();
  const parts = new Map<number, string[]>();
  const get = (id: number) => {
    if (!out.has(id)) {
      out.set(id, { ...EMPTY });
      parts.set(id, []);
    }
    return out.get(id)!;
  };
  const ids = new Set(list.map((g) => g.id));
  for (const d of await allScheduled(db)) {
    if (!ids.has(d.grant_id) || disbursementState(d, today, by) !== 'overdue') continue;
    get(d.grant_id).overdueScheduled += d.amount;
    parts.get(d.grant_id)!.push(`disbursement #${d.id} of ${formatCents(d.amount)} overdue since ${d.date}`);
  }
  const status = new Map(list.map((g) => [g.id, g.status]));
  for (const r of await listRequirements(db)) {
    if (!ids.has(r.grant_id)) continue;
    const st = requirementState(r, status.get(r.grant_id)!, today, by);
    if (st === 'fulfilled' || st === 'waived') continue;
    const f = get(r.grant_id);
    f.requirementsOpen++;
    if (st === 'overdue') {
      f.requirementsOverdue++;
      parts.get(r.grant_id)!.push(`${r.type} #${r.id} overdue since ${r.due_on}`);
    }
  }
  for (const g of list) {
    if (g.service_minutes === null || g.service_by === null || g.status === 'cancelled') continue;
    const s = serviceSchedule(
      { committedMinutes: g.service_minutes, loggedMinutes: g.service_logged_minutes, awardedOn: g.awarded_on, serviceBy: g.service_by },
      today,
    );
    get(g.id).service = s.state;
    if (s.state === 'overdue')
      parts.get(g.id)!.push(`service overdue: ${formatHours(g.service_logged_minutes)} of ${formatHours(g.service_minutes)} h by ${g.service_by}`);
    else if (s.state === 'behind')
      parts.get(g.id)!.push(`service behind: ${formatHours(g.service_logged_minutes)} of ${formatHours(s.expected)} h expected by now`);
  }
  for (const [grantId, r] of await allRepayments(db)) {
    if (!ids.has(grantId)) continue;
    get(grantId).repayment = r.amount;
    if (r.amount > 0) parts.get(grantId)!.push(`repayment of ${formatCents(r.amount)} owed`);
  }
  for (const [id, f] of out) f.text = parts.get(id)!.join('; ');
  return out;
}

export const flagsOf = (m: Map<number, GrantFlags>, id: number): GrantFlags => m.get(id) ?? EMPTY;

// ---- requirements as listed -----------------------------------------------------------------------

export interface RequirementView extends RequirementRow {
  state: RequirementState;
}

export async function requirementViews(db: Conn, today: string, grantId?: number): Promise<RequirementView[]> {
  const by = dueBy(today);
  return (await listRequirements(db, grantId)).map((r) => ({ ...r, state: requirementState(r, r.grant_status, today, by) }));
}

// ---- `ngo status` sources -------------------------------------------------------------------------

const grantSubject = (g: { grant_id?: number; id?: number; first_name: string; last_name: string | null; purpose: string }, id: number) =>
  `grant #${id} ${displayName(g)} — ${g.purpose}`;

/** Scheduled disbursements of open grants dated before today (overdue) or within DUE_WINDOW_DAYS (due). */
export async function disbursementStatusItems(db: Conn, input: StatusInput): Promise<StatusItem[]> {
  const by = dueBy(input.today);
  const items: StatusItem[] = [];
  for (const d of await allScheduled(db)) {
    const st = disbursementState(d, input.today, by);
    if (st === null) continue;
    items.push({
      area: 'disbursements',
      severity: st,
      subject: grantSubject(d, d.grant_id),
      detail:
        st === 'overdue'
          ? `scheduled disbursement #${d.id} of ${formatCents(d.amount)} was due on ${d.date} and is not paid`
          : `scheduled disbursement #${d.id} of ${formatCents(d.amount)} is due on ${d.date}`,
      due_date: d.date,
      command: `ngo grants pay ${d.id}`,
    });
  }
  return items;
}

/** Requirements not fulfilled whose due date has passed (overdue) or falls within DUE_WINDOW_DAYS (due); not those of cancelled grants. */
export async function requirementStatusItems(db: Conn, input: StatusInput): Promise<StatusItem[]> {
  const items: StatusItem[] = [];
  for (const r of await requirementViews(db, input.today)) {
    if (r.state !== 'overdue' && r.state !== 'due') continue;
    items.push({
      area: 'requirements',
      severity: r.state,
      subject: grantSubject(r, r.grant_id),
      detail: `${r.type} #${r.id}${r.note ? ` (${r.note})` : ''} ${r.state === 'overdue' ? 'was due' : 'is due'} on ${r.due_on}`,
      due_date: r.due_on,
      command: `ngo grants fulfil ${r.id}`,
    });
  }
  return items;
}

/**
 * Service commitments with a deadline, on grants not cancelled, that are not met: overdue once the
 * deadline has passed, due while behind an even pace from the award to the deadline.
 */
export async function serviceCommitmentStatusItems(db: Conn, input: StatusInput): Promise<StatusItem[]> {
  const items: StatusItem[] = [];
  for (const g of await listGrantSummaries(db)) {
    if (g.service_minutes === null || g.service_by === null || g.status === 'cancelled') continue;
    const s = serviceSchedule(
      { committedMinutes: g.service_minutes, loggedMinutes: g.service_logged_minutes, awardedOn: g.awarded_on, serviceBy: g.service_by },
      input.today,
    );
    if (s.state !== 'overdue' && s.state !== 'behind') continue;
    const logged = `${formatHours(g.service_logged_minutes)} of ${formatHours(g.service_minutes)} committed hours logged`;
    items.push({
      area: 'service',
      severity: s.state === 'overdue' ? 'overdue' : 'due',
      subject: grantSubject(g, g.id),
      detail:
        s.state === 'overdue' ? `${logged}; the deadline was ${g.service_by}` : `${logged}; ${formatHours(s.expected)} h expected by now for ${g.service_by}`,
      due_date: g.service_by,
      command: `ngo grants show ${g.id}`,
    });
  }
  return items;
}

/** Every grant item of `ngo status`: disbursements, requirements, service commitments. */
export async function grantStatusItems(db: Conn, input: StatusInput): Promise<StatusItem[]> {
  return [...(await disbursementStatusItems(db, input)), ...(await requirementStatusItems(db, input)), ...(await serviceCommitmentStatusItems(db, input))];
}
