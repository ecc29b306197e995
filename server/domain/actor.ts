import type { Actor, MemberViewer, Operator } from '../auth/viewer.js';
import { UnauthenticatedError } from '../kernel/errors.js';

export type SignedInActor = MemberViewer | Operator;

export function requireActor(actor: Actor): SignedInActor {
  if (actor.kind === 'anonymous') throw new UnauthenticatedError();
  return actor;
}

/** Who to record in an event's payload: the member, or null for the operator at the command line. */
export function actorMemberId(actor: SignedInActor): string | null {
  return actor.kind === 'member' ? actor.memberId : null;
}
