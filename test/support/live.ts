import { createClient } from "graphql-ws";
import WebSocket from "ws";

/**
 * A subscriber to live notifications, as a console would be: graphql-ws over WebSocket on the service's own
 * /graphql, the token in connectionParams. Node 20 has no global WebSocket, so the client is handed `ws`.
 */

export interface Heard {
  kind: string;
  at: string;
  requisition: { id: string; status: string };
}

export interface Subscriber {
  /** Everything heard so far, in order. */
  heard: Heard[];
  /** The kinds heard about one requisition, in order. */
  kindsAbout(id: string): string[];
  /** Waits until a notice of `kind` about `id` has been heard; fails the test after `ms`. */
  hears(kind: string, id: string, ms?: number): Promise<Heard>;
  /** Errors the subscription ended with (a refusal over WebSocket), or [] while it runs. */
  errors: { message: string; extensions?: { code?: string } }[];
  /** The close code of the socket, once the server (or the client) closed it. */
  closed: Promise<number>;
  close(): Promise<void>;
}

export const NOTIFICATIONS = `subscription { requisitionNotifications { kind at requisition { id status } } }`;

/** The service's WebSocket address: its /graphql, ws:// instead of http://. */
export const wsUrlOf = (graphqlUrl: string) => graphqlUrl.replace(/^http/, "ws");

/**
 * Subscribes as the holder of `token`, and returns once the server runs the subscription (`openSubscriptions`
 * has grown): a notice sent after that is heard. `query` is the operation to send, the notifications by default.
 */
export async function aSubscriber(
  url: string,
  token: string,
  openSubscriptions: () => Promise<number> | number,
  query = NOTIFICATIONS,
): Promise<Subscriber> {
  const before = await openSubscriptions();
  let onClosed: (code: number) => void = () => {};
  const closed = new Promise<number>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: wsUrlOf(url),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    on: { closed: (e) => onClosed((e as { code: number }).code) },
  });
  const heard: Heard[] = [];
  const errors: Subscriber["errors"] = [];
  let ended = false;
  const stop = client.subscribe<{ requisitionNotifications: Heard }>(
    { query },
    {
      next: (r) => {
        if (r.data) heard.push(r.data.requisitionNotifications);
        if (r.errors) errors.push(...(r.errors as Subscriber["errors"]));
      },
      error: (e) => {
        ended = true;
        errors.push(...(Array.isArray(e) ? e : [{ message: String((e as Error).message ?? e) }]));
      },
      complete: () => (ended = true),
    },
  );
  await until(async () => ended || (await openSubscriptions()) > before, 10_000, "the subscription to start");
  return {
    heard,
    errors,
    closed,
    kindsAbout: (id) => heard.filter((h) => h.requisition.id === id).map((h) => h.kind),
    async hears(kind, id, ms = 10_000) {
      const find = () => heard.find((h) => h.kind === kind && h.requisition.id === id);
      await until(
        () => !!find(),
        ms,
        `${kind} about ${id} (heard: ${JSON.stringify(heard.map((h) => h.kind))})`,
      );
      return find()!;
    },
    async close() {
      stop();
      await client.dispose();
    },
  };
}

/** Connects with `connectionParams` and answers the close code the server ended the socket with. */
export async function closeCodeFor(url: string, connectionParams: Record<string, unknown>): Promise<number> {
  return new Promise<number>((resolve) => {
    const client = createClient({
      url: wsUrlOf(url),
      webSocketImpl: WebSocket,
      connectionParams,
      retryAttempts: 0,
      on: { closed: (e) => resolve((e as { code: number }).code) },
    });
    client.subscribe({ query: NOTIFICATIONS }, { next: () => {}, error: () => {}, complete: () => {} });
  });
}

export async function until(ok: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A short wait for what would arrive if it were (wrongly) sent: events travel in well under this. */
export const settle = () => new Promise((r) => setTimeout(r, 300));
