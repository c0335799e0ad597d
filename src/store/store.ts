import type { PackageBody, ScenarioBody } from "./bodies.ts"
import type {
  Actor,
  ApiKey,
  AuditAction,
  AuditEntry,
  AuditInput,
  ChainCheckKind,
  Draft,
  KeyInput,
  Saved,
  Version,
  View,
} from "./schema.ts"

/** What became of a change to a saved item. */
export type Change<B> =
  | { readonly status: "ok"; readonly saved: Saved<B> }
  /** No such item, deleted, or hidden from this caller: the three look the same. */
  | { readonly status: "not-found" }
  /** `expectedVersion` was given and is no longer the latest: nothing was written. */
  | { readonly status: "conflict"; readonly latest: number }

/** A summary of a saved item for lists: the latest version without its body. */
export type Listed<B> = Omit<Saved<B>, "body">

/**
 * Named items kept in versions: every save adds a version, none is ever overwritten or removed;
 * a delete only marks the item. Every save and delete writes its audit row in the same transaction.
 */
export interface Collection<B> {
  /** Save a new item as version 1. */
  create(draft: Draft<B>, by: Actor): Promise<Saved<B>>
  /** Save a new version; with `expectedVersion`, only if that is still the latest. */
  update(id: string, draft: Draft<B>, by: Actor, view: View, expectedVersion?: number): Promise<Change<B>>
  /** The latest version, or null (unknown, hidden, or deleted unless `view.includeDeleted`). */
  get(id: string, view: View): Promise<Saved<B> | null>
  /** One version, or null. */
  version(id: string, version: number, view: View): Promise<Version<B> | null>
  /** Every version, oldest first, or null. */
  versions(id: string, view: View): Promise<Version<B>[] | null>
  /** The items this view sees, most recently saved first. */
  list(view: View): Promise<Listed<B>[]>
  /** Soft delete: gone from lists and gets, its versions kept. */
  remove(id: string, by: Actor, view: View): Promise<boolean>
}

/** Which rows of the audit trail to read. */
export interface AuditQuery {
  /** Only rows after this sequence number (for paging). */
  readonly after?: number
  /** At most this many rows (default 100, at most 1000). */
  readonly limit?: number
  readonly action?: AuditAction
  readonly keyId?: string
}

/** The result of checking the audit chain. */
export type ChainCheck =
  | { readonly ok: true; readonly rows: number }
  | { readonly ok: false; readonly rows: number; readonly brokenAt: number }

/** The append-only audit trail. */
export interface AuditLog {
  append(input: AuditInput): Promise<AuditEntry>
  /** Rows in sequence order; rows marked confidential only for a view with the grant. */
  list(view: View, query?: AuditQuery): Promise<AuditEntry[]>
  /**
   * Recompute the rows' hashes and links; says where the chain breaks, if it does. "full" (the
   * default) checks every row from the first; "incremental" only the rows after the last row this
   * store object found to hold (and that row itself), so a row changed before it is found by the
   * next full check only.
   */
  verify(check?: ChainCheckKind): Promise<ChainCheck>
}

/** API keys, stored hashed. */
export interface KeyStore {
  /** Make a key; `key` is the only time the full key exists outside its holder. */
  create(input: KeyInput, by: Actor): Promise<{ readonly key: string; readonly record: ApiKey }>
  list(): Promise<ApiKey[]>
  /** Revoke by id; false when there is no such active key. */
  revoke(id: string, by: Actor): Promise<boolean>
  /** The key's record when `key` is a valid, unrevoked key; null otherwise. */
  verify(key: string): Promise<ApiKey | null>
  /**
   * How many keys are not revoked (none: the service may run open, on loopback only). Changes made
   * through this store count at once, changes by another process within a second.
   */
  activeCount(): Promise<number>
  /**
   * The same count when it is known without waiting (a store that must ask a server gives
   * undefined unless it has a fresh one): the open loopback service asks on every request, and a
   * promise each time costs the event loop more than the count.
   */
  activeCountNow(): number | undefined
}

/**
 * Everything pulje keeps between runs. One interface, so that a server database can stand in for
 * the embedded SQLite without touching the use cases.
 */
export interface Store {
  readonly packages: Collection<PackageBody>
  readonly scenarios: Collection<ScenarioBody>
  readonly audit: AuditLog
  readonly keys: KeyStore
  /** Copy the whole store, consistently, while it is in use. */
  backup(file: string): Promise<void>
  close(): Promise<void>
}
