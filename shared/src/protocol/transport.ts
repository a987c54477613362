/**
 * The seam between round logic and the network. Transports move opaque bytes; encoding and
 * validation happen once, in the coordinator and client cores, whatever the transport.
 */
export interface Connection {
  readonly id: string;
  send(bytes: Uint8Array): void;
  close(reason: string): void;
}

export interface ServerTransportHandler {
  onConnection(conn: Connection): void;
  onMessage(conn: Connection, bytes: unknown): void;
  /** Traffic outside the protocol (an unknown event name, say): reported, never processed. */
  onForeign(conn: Connection, what: string): void;
  onDisconnect(conn: Connection, reason: string): void;
}

export interface ServerTransport {
  listen(handler: ServerTransportHandler): Promise<void>;
  close(): Promise<void>;
}

export interface ClientTransportHandler {
  onOpen(): void;
  onMessage(bytes: unknown): void;
  onClose(reason: string): void;
}

export interface ClientTransport {
  open(handler: ClientTransportHandler): void;
  send(bytes: Uint8Array): void;
  close(): void;
}
