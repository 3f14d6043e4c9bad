// Friend rights as OpenSimulator defines them (spec/protocol/04-presence-and-friendship.md):
// a bitmask of what one user grants another.
export const CAN_SEE_ONLINE = 1
export const CAN_SEE_ON_MAP = 2
export const CAN_MODIFY_OBJECTS = 4

/** GRIDIM-FRND-8: an accepted offer grants exactly CanSeeOnline both ways. */
export const RIGHTS_ON_ACCEPT = CAN_SEE_ONLINE

export function grantsSeeOnline (rights: number): boolean {
  return (rights & CAN_SEE_ONLINE) !== 0
}
