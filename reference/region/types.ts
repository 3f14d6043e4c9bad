// Shapes of the contract's JSON objects as this region handles them (openapi/components/common.yaml).
// Validation happens once at the edge (registerOperations); inside, these types are trusted.

export type RegionKind = 'region' | 'gateway'

export type Friend = {
  userId: string
  name: string
  /** What this user grants the friend. */
  rightsGranted: number
  /** What the friend grants this user. */
  rightsReceived: number
  online?: boolean
}

export type InstantMessage = {
  messageId: string
  fromUserId: string
  fromName: string
  toUserId: string
  body: string
  sentAt: string
}

export type ChatState = {
  fromUserId: string
  fromName: string
  toUserId: string
  state: 'active' | 'composing' | 'paused' | 'inactive' | 'gone'
}

/** A notice from the user server (deliverNotices), discriminated by `type`. */
export type Notice = { type: string, noticeId: string, toUserId: string, [member: string]: unknown }

export type GroupMessageDelivery = {
  groupSessionId: string
  messageId: string
  fromUserId: string
  fromName: string
  body: string
  sentAt: string
  toUserIds: string[]
}

/** locateUser's answer (user-server.yaml UserLocation). */
export type UserLocation = {
  userId: string
  online: boolean
  regionId?: string
  regionUrl?: string
  kind?: RegionKind
  canSeeOnline: boolean
}

/** CanSeeOnline, the first of OpenSimulator's friend rights. */
export const CAN_SEE_ONLINE = 1

/** Message bodies are limited in UTF-8 bytes as well as characters (GRIDIM-LIM, as in Second Life). */
export const MAX_BODY_BYTES = 1023
