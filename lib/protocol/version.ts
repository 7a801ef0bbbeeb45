/** Bump when a socket message changes shape; clients of another version are refused by name. */
export const PROTOCOL_VERSION = 2;
/** Bump when a stored event's shape changes; replays of older logs must stay playable. */
export const LOG_VERSION = 2;
