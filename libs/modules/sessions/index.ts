/** The sessions module's face: dashboard sessions behind hashed cookie tokens. */
export { SESSION_TTL_MS, StaffSessionsService } from './staff-sessions.service';
export type { StaffSessionRecord } from './staff-sessions.repository';
