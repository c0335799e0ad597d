/**
 * The store as the faces see it: they open it and hand it to the application, and read keys'
 * roles; what is kept and how (src/store, SQLite) stays behind the application layer.
 */
export { keyIdOf } from "../store/keys.ts"
export { type Role, roleAllows, type ShownFigures } from "../store/schema.ts"
export { type AuditSync, dataDir, openSqliteStore as openStore } from "../store/sqlite.ts"
export type { Store } from "../store/store.ts"
