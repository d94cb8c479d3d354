//! The embedded event store: one SQLite file under `.harness/state/` with an append-only
//! `events` table. Hooks record every decision there (context given, findings shown, a denied
//! command, a blocked stop, an internal failure); per-session memory is read back from it, and
//! later feedback work builds on the same table.
//!
//! The one design choice to know: events are never updated or deleted (triggers refuse it), so
//! state such as "what this session was already told" is a query over the session's events,
//! not a mutable row.
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let store = harness_store::Store::open(&dir.path().join("harness.db")).unwrap();
//! let event = harness_store::NewEvent::new("context", serde_json::json!({"keys": ["rule:no-any"]}))
//!     .session("claude", "s1");
//! store.append(&event).unwrap();
//! assert_eq!(store.session_events("claude", "s1").unwrap().len(), 1);
//! ```

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

/// The store's file, relative to the repository root.
pub const STORE_FILE: &str = ".harness/state/harness.db";

/// Bytes the WAL may hold before `append` checkpoints it into the database and empties it.
const WAL_LIMIT: u64 = 256 * 1024;

/// How long a write waits for another process's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Schema version kept in `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms       INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    agent       TEXT,
    session     TEXT,
    external_id TEXT UNIQUE,
    data        TEXT NOT NULL CHECK (json_valid(data))
);
DROP INDEX IF EXISTS events_by_session;
CREATE INDEX IF NOT EXISTS events_by_session_kind ON events (agent, session, kind, id);
CREATE INDEX IF NOT EXISTS events_by_kind ON events (kind, id);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create {path}: {source}")]
    Create {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("event store {path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "event store {path} has schema version {found}, newer than this harness ({SCHEMA_VERSION})"
    )]
    Newer { path: PathBuf, found: i64 },
    #[error("event store {path} can be read but not written (file or folder permissions)")]
    ReadOnly { path: PathBuf },
}

/// An event about to be recorded.
#[derive(Clone, Debug)]
pub struct NewEvent {
    pub kind: String,
    pub agent: Option<String>,
    pub session: Option<String>,
    /// Makes recording idempotent: a second event with the same id is not added.
    pub external_id: Option<String>,
    pub data: Value,
}

impl NewEvent {
    pub fn new(kind: &str, data: Value) -> NewEvent {
        NewEvent {
            kind: kind.to_owned(),
            agent: None,
            session: None,
            external_id: None,
            data,
        }
    }

    /// The agent and its session id this event belongs to.
    #[must_use]
    pub fn session(mut self, agent: &str, session: &str) -> NewEvent {
        self.agent = Some(agent.to_owned());
        self.session = Some(session.to_owned());
        self
    }
}

/// An event as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub id: i64,
    /// Milliseconds since the Unix epoch.
    pub at_ms: i64,
    pub kind: String,
    pub agent: Option<String>,
    pub session: Option<String>,
    pub external_id: Option<String>,
    pub data: Value,
}

/// An open store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens the store of the repository at `root`, creating it when missing.
    pub fn open_in(root: &Path) -> Result<Store, StoreError> {
        Store::open(&root.join(STORE_FILE))
    }

    /// Opens (creating when missing) the store at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Create {
                path: dir.to_path_buf(),
                source,
            })?;
            // The state folder is never committed, whatever the repository's .gitignore says.
            let ignore = dir.join(".gitignore");
            if !ignore.exists() {
                let _ = std::fs::write(&ignore, "*\n");
            }
        }
        let sql = |source| StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        if !path.exists() {
            // A WAL left beside a deleted database belongs to that database; SQLite would replay
            // it into the new one.
            for suffix in ["-wal", "-shm"] {
                let mut stale = path.as_os_str().to_owned();
                stale.push(suffix);
                let _ = std::fs::remove_file(stale);
            }
        }
        let conn = Connection::open(path).map_err(sql)?;
        // Several hooks of one agent can run at once; wait for the writer rather than fail.
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        // The version, and whether the index added after version 1 shipped is there, in one
        // statement: a hook opens the store on every call.
        let (version, mut indexed): (i64, bool) = conn
            .query_row(
                "SELECT user_version, EXISTS (SELECT 1 FROM sqlite_master
                     WHERE type = 'index' AND name = 'events_by_session_kind')
                 FROM pragma_user_version",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(sql)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::Newer {
                path: path.to_path_buf(),
                found: version,
            });
        }
        if version < SCHEMA_VERSION {
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(sql)?;
            conn.execute_batch(&format!(
                "BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            ))
            .map_err(sql)?;
            indexed = true;
        }
        // Older binaries read and write the store as before, so the version stays and the
        // index is added where it is missing.
        // A store this user may only read works without it, just slower.
        let read_only = conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true);
        if !indexed && !read_only {
            conn.execute_batch(
                "BEGIN IMMEDIATE;
                 DROP INDEX IF EXISTS events_by_session;
                 CREATE INDEX IF NOT EXISTS events_by_session_kind ON events (agent, session, kind, id);
                 COMMIT;",
            )
            .map_err(sql)?;
        }
        // Hooks open the store once per call. In WAL mode with NORMAL sync a commit does not
        // wait for the disk, and leaving the WAL in place on close (no checkpoint, no delete)
        // spares each call creating and removing files; `append` empties the WAL as it grows.
        // A killed process loses nothing committed; a power cut can lose the last events.
        // SQLite's own checkpoints do not suit a store opened once per call either: each new
        // process rebuilds the WAL index by reading the whole WAL, and forgets what was
        // checkpointed, so the WAL is never restarted and grows. `append` truncates it instead.
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;")
            .map_err(sql)?;
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )
        .map_err(sql)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    fn error(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Records `event`; returns its id, or the id of the event already recorded with the same
    /// external id.
    pub fn append(&self, event: &NewEvent) -> Result<i64, StoreError> {
        let data = event.data.to_string();
        let inserted = self
            .conn
            .execute(
                "INSERT INTO events (at_ms, kind, agent, session, external_id, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (external_id) DO NOTHING",
                params![
                    now_ms(),
                    event.kind,
                    event.agent,
                    event.session,
                    event.external_id,
                    data
                ],
            )
            .map_err(|e| self.error(e))?;
        if inserted == 1 {
            let id = self.conn.last_insert_rowid();
            self.keep_wal_short();
            return Ok(id);
        }
        let existing = match &event.external_id {
            Some(external) => self.id_of_external(external)?,
            None => None,
        };
        Ok(existing.unwrap_or_default())
    }

    /// The id of the event recorded with this external id, if there is one.
    pub fn id_of_external(&self, external_id: &str) -> Result<Option<i64>, StoreError> {
        self.conn
            .query_row(
                "SELECT id FROM events WHERE external_id = ?1",
                params![external_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.error(e))
    }

    /// Checkpoints the WAL and truncates it once it is over `WAL_LIMIT`. Best effort: another
    /// process reading the store makes the checkpoint wait for a later call.
    fn keep_wal_short(&self) {
        let mut wal = self.path.as_os_str().to_owned();
        wal.push("-wal");
        let long = std::fs::metadata(&wal).is_ok_and(|m| m.len() > WAL_LIMIT);
        if long {
            // Not waiting: a checkpoint waits for readers through the busy handler, and a hook
            // must not stall for another process's read.
            let _ = self.conn.busy_timeout(Duration::ZERO);
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
            let _ = self.conn.busy_timeout(BUSY_TIMEOUT);
        }
    }

    /// Whether events can be written: takes the write lock and lets it go, changing nothing.
    pub fn check_writable(&self) -> Result<(), StoreError> {
        // SQLite opens a file it may not write read-only, and a read-only connection can still
        // begin and roll back a write transaction.
        let read_only = self
            .conn
            .is_readonly(rusqlite::MAIN_DB)
            .map_err(|e| self.error(e))?;
        if read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            });
        }
        self.conn
            .execute_batch("BEGIN IMMEDIATE; ROLLBACK;")
            .map_err(|e| self.error(e))
    }

    /// Every event of one agent session, oldest first.
    pub fn session_events(&self, agent: &str, session: &str) -> Result<Vec<Event>, StoreError> {
        self.query(
            "SELECT id, at_ms, kind, agent, session, external_id, data FROM events
             WHERE agent = ?1 AND session = ?2 ORDER BY id",
            params![agent, session],
        )
    }

    /// The events of one agent session of the given kinds, oldest first: for a question that
    /// needs only some of a long session's events.
    pub fn session_events_of(
        &self,
        agent: &str,
        session: &str,
        kinds: &[&str],
    ) -> Result<Vec<Event>, StoreError> {
        let kinds = serde_json::Value::from(kinds).to_string();
        self.query(
            "SELECT id, at_ms, kind, agent, session, external_id, data FROM events
             WHERE agent = ?1 AND session = ?2 AND kind IN (SELECT value FROM json_each(?3))
             ORDER BY id",
            params![agent, session, kinds],
        )
    }

    /// Every event of a kind, oldest first.
    pub fn events_of_kind(&self, kind: &str) -> Result<Vec<Event>, StoreError> {
        self.query(
            "SELECT id, at_ms, kind, agent, session, external_id, data FROM events
             WHERE kind = ?1 ORDER BY id",
            params![kind],
        )
    }

    fn query(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Event>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.error(e))?;
        let rows = stmt
            .query_map(params, |r| {
                let data: String = r.get(6)?;
                Ok(Event {
                    id: r.get(0)?,
                    at_ms: r.get(1)?,
                    kind: r.get(2)?,
                    agent: r.get(3)?,
                    session: r.get(4)?,
                    external_id: r.get(5)?,
                    data: serde_json::from_str(&data).unwrap_or(Value::Null),
                })
            })
            .map_err(|e| self.error(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.error(e))
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open_in(dir.path()).expect("open");
        (dir, store)
    }

    #[test]
    fn events_come_back_per_session_in_order() {
        let (_dir, store) = store();
        for (i, session) in ["a", "b", "a"].iter().enumerate() {
            store
                .append(&NewEvent::new("context", json!({ "n": i })).session("claude", session))
                .expect("append");
        }
        let a = store.session_events("claude", "a").expect("query");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].data, json!({"n": 0}));
        assert_eq!(a[1].data, json!({"n": 2}));
        assert!(
            store
                .session_events("codex", "a")
                .expect("query")
                .is_empty()
        );
    }

    #[test]
    fn a_session_can_be_read_by_kind() {
        let (_dir, store) = store();
        for kind in ["context", "edit", "rearm", "edit"] {
            store
                .append(&NewEvent::new(kind, json!({})).session("claude", "s"))
                .expect("append");
        }
        let some = store
            .session_events_of("claude", "s", &["context", "rearm"])
            .expect("query");
        let kinds: Vec<&str> = some.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["context", "rearm"]);
    }

    #[test]
    fn events_cannot_be_changed_or_deleted() {
        let (_dir, store) = store();
        store
            .append(&NewEvent::new("denied", json!({})))
            .expect("append");
        let update = store.conn.execute("UPDATE events SET kind = 'x'", []);
        assert!(update.is_err_and(|e| e.to_string().contains("append-only")));
        let delete = store.conn.execute("DELETE FROM events", []);
        assert!(delete.is_err_and(|e| e.to_string().contains("append-only")));
    }

    #[test]
    fn an_external_id_is_recorded_once() {
        let (_dir, store) = store();
        let mut event = NewEvent::new("feedback", json!({"text": "use a timeout"}));
        event.external_id = Some("github:comment:1".to_owned());
        let first = store.append(&event).expect("append");
        let second = store.append(&event).expect("append");
        assert_eq!(first, second);
        assert_eq!(store.events_of_kind("feedback").expect("query").len(), 1);
    }

    #[test]
    fn reopening_keeps_events() {
        let dir = tempfile::tempdir().expect("temp dir");
        Store::open_in(dir.path())
            .expect("open")
            .append(&NewEvent::new("rearm", json!({})).session("codex", "t"))
            .expect("append");
        let again = Store::open_in(dir.path()).expect("reopen");
        assert_eq!(again.session_events("codex", "t").expect("query").len(), 1);
    }

    #[test]
    fn the_state_folder_ignores_itself() {
        let (dir, _store) = store();
        let ignore = dir.path().join(".harness/state/.gitignore");
        assert_eq!(std::fs::read_to_string(ignore).expect("read"), "*\n");
    }

    #[test]
    fn a_wal_left_by_a_deleted_database_is_not_replayed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("h.db");
        {
            let store = Store::open(&path).expect("open");
            store
                .append(&NewEvent::new("old", json!({})).session("claude", "s"))
                .expect("append");
        }
        std::fs::remove_file(&path).expect("delete the database alone");
        let store = Store::open(&path).expect("reopen");
        assert!(store.events_of_kind("old").expect("query").is_empty());
        store
            .append(&NewEvent::new("new", json!({})))
            .expect("append after reset");
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("h.db");
        Connection::open(&path)
            .expect("open")
            .pragma_update(None, "user_version", 99)
            .expect("pragma");
        assert!(matches!(
            Store::open(&path),
            Err(StoreError::Newer { found: 99, .. })
        ));
    }

    #[test]
    fn the_wal_stays_short_across_many_calls() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("h.db");
        let big = "x".repeat(2000);
        for i in 0..400 {
            // One connection per call, as hooks open the store.
            let store = Store::open(&path).expect("open");
            store
                .append(
                    &NewEvent::new("context", json!({ "i": i, "pad": big })).session("claude", "s"),
                )
                .expect("append");
        }
        let wal = std::fs::metadata(dir.path().join("h.db-wal")).map_or(0, |m| m.len());
        assert!(wal <= WAL_LIMIT + 64 * 1024, "WAL grew to {wal} bytes");
        let store = Store::open(&path).expect("open");
        assert_eq!(
            store.session_events("claude", "s").expect("query").len(),
            400
        );
    }

    #[test]
    fn a_store_from_before_the_kind_index_gets_it_and_keeps_its_version() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("h.db");
        {
            let conn = Connection::open(&path).expect("open");
            conn.execute_batch(
                "CREATE TABLE events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL,
                    kind TEXT NOT NULL, agent TEXT, session TEXT, external_id TEXT UNIQUE,
                    data TEXT NOT NULL CHECK (json_valid(data)));
                 CREATE INDEX events_by_session ON events (agent, session, id);
                 CREATE INDEX events_by_kind ON events (kind, id);
                 INSERT INTO events (at_ms, kind, agent, session, data)
                 VALUES (1, 'context', 'claude', 's', '{\"keys\":[\"rule:a\"]}');
                 PRAGMA user_version = 1;",
            )
            .expect("version 1 schema");
        }
        let store = Store::open(&path).expect("upgrade");
        let events = store
            .session_events_of("claude", "s", &["context"])
            .expect("query");
        assert_eq!(events.len(), 1);
        let indexes: Vec<String> = store
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL ORDER BY name")
            .expect("prepare")
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("names");
        assert_eq!(indexes, ["events_by_kind", "events_by_session_kind"]);
        // Still version 1: a binary from before the index reads the store as it did.
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(version, 1);
    }

    #[test]
    fn a_store_opened_read_only_is_not_writable() {
        let (dir, store) = store();
        assert!(store.check_writable().is_ok());
        let path = dir.path().join(STORE_FILE);
        let conn = Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open read-only");
        let read_only = Store {
            conn,
            path: path.clone(),
        };
        assert!(matches!(
            read_only.check_writable(),
            Err(StoreError::ReadOnly { .. })
        ));
    }

    #[test]
    fn a_reader_holding_the_store_does_not_hold_up_a_writer() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("h.db");
        let big = "x".repeat(4000);
        Store::open(&path).expect("create");
        // Another process in the middle of a read, as a person's sqlite3 shell can be.
        let reader = Connection::open(&path).expect("reader");
        reader
            .execute_batch("BEGIN; SELECT count(*) FROM events;")
            .expect("read");
        for i in 0..100 {
            let store = Store::open(&path).expect("open");
            store
                .append(&NewEvent::new("context", json!({ "i": i, "pad": big })))
                .expect("append while another connection reads");
        }
        // The WAL could not be emptied past the reader: it grew, and nothing was lost.
        let wal = std::fs::metadata(dir.path().join("h.db-wal")).map_or(0, |m| m.len());
        assert!(wal > WAL_LIMIT, "{wal}");
        reader.execute_batch("COMMIT;").expect("end the read");
        let store = Store::open(&path).expect("open");
        store
            .append(&NewEvent::new("context", json!({})))
            .expect("append");
        assert_eq!(store.events_of_kind("context").expect("query").len(), 101);
        let wal = std::fs::metadata(dir.path().join("h.db-wal")).map_or(0, |m| m.len());
        assert!(wal <= WAL_LIMIT, "emptied once the reader is gone: {wal}");
    }
}
