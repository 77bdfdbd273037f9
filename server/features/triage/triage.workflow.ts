// The report workflow of DESIGN.md: which status may follow which, and who may move it.
import type { Role } from '../auth/auth.repo';
import type { Status } from '../reports/reports.schemas';

export const TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  new: ['verified', 'assigned', 'rejected', 'duplicate'],
  // Back to new: the dashboard's undo of a verification or an assignment made by mistake.
  verified: ['new', 'assigned', 'in_progress', 'resolved', 'rejected', 'duplicate'],
  assigned: ['new', 'in_progress', 'resolved', 'verified', 'duplicate'],
  in_progress: ['resolved', 'assigned'],
  resolved: ['verified'],
  rejected: ['new'],
  duplicate: ['new'],
};

/** Responders work their assignments: start and finish them, nothing else. */
const RESPONDER_TRANSITIONS: Readonly<Partial<Record<Status, readonly Status[]>>> = {
  assigned: ['in_progress', 'resolved'],
  in_progress: ['resolved'],
};

export function allowedTransitions(from: Status, role: Role): Status[] {
  // Volunteers move nothing by hand (their agreement does: server/features/volunteers).
  if (role === 'volunteer') return [];
  const all = TRANSITIONS[from];
  return role === 'responder' ? [...(RESPONDER_TRANSITIONS[from] ?? [])] : [...all];
}

export const canTransition = (from: Status, to: Status, role: Role) => allowedTransitions(from, role).includes(to);
