import type { RequestHandler, Response } from 'express';
import type { CredentialRecord, StaffRole } from '../auth/records.ts';
import type { RoleChecker } from '../auth/roles.ts';

/** Lets the request through only with a credential of at least `role`: 401 without one, 403 when too small. */
export function requireRole(check: RoleChecker, role: StaffRole): RequestHandler {
  return (req, res, next) => {
    const decision = check(req.headers, role);
    if (!decision.ok) {
      if (decision.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="huddle"');
      res.status(decision.status).json({ error: decision.error });
      return;
    }
    res.locals.credential = decision.credential;
    next();
  };
}

/** The credential `requireRole` admitted. */
export function credentialOf(res: Response): CredentialRecord {
  return res.locals.credential as CredentialRecord;
}
