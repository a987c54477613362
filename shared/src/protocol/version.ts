export const PROTOCOL_VERSION = 7;
/** The one socket.io event that carries protocol messages (msgpack bytes). */
export const PROTOCOL_EVENT = 'huddle';
/** Default cap on one encoded message. Large enough for models of ~2M parameters. */
export const DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
