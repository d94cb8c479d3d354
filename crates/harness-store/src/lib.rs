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
const SCHEMA_VERSION: i64 = 2;

/// The events table, named `name`. `id` is a plain rowid: events are never deleted, so ids
/// never repeat, and AUTOINCREMENT would cost every event a write to `sqlite_sequence`. Most
/// events have no external id, so only those that do are indexed.
fn events_table(name: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {name} (
            id          INTEGER PRIMARY KEY,
            at_ms       INTEGER NOT NULL,
            kind        TEXT NOT NULL,
            agent       TEXT,
            session     TEXT,
            external_id TEXT,
            data        TEXT NOT NULL CHECK (json_valid(data))
        );"
    )
}

const EVENTS_INDEXES: &str = "
CREATE UNIQUE INDEX IF NOT EXISTS events_by_external ON events (external_id)
    WHERE external_id IS NOT NULL;
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
        "event store {path} was written by a newer harness (schema version {found}, this harness reads {SCHEMA_VERSION}): use that harness, or move the harness.db* files aside, keeping them, to start a new store"
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
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sql)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::Newer {
                path: path.to_path_buf(),
                found: version,
            });
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
        if version < SCHEMA_VERSION {
            // A store this user may only read is read as it is, if it has events at all.
            if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
                if version == 0 {
                    return Err(StoreError::ReadOnly {
                        path: path.to_path_buf(),
                    });
                }
            } else {
                migrate(&conn).map_err(sql)?;
                // A rebuilt table leaves its whole copy in the WAL.
                let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
            }
        }
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
        let id = self.insert(event)?;
        self.keep_wal_short();
        Ok(id)
    }

    /// Records `events` in one transaction: one commit, and a page two of them change is
    /// written once. Returns their ids as [`Store::append`] does; on an error none is recorded.
    pub fn append_all(&self, events: &[NewEvent]) -> Result<Vec<i64>, StoreError> {
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Immediate,
        )
        .map_err(|e| self.error(e))?;
        let ids = events
            .iter()
            .map(|e| self.insert(e))
            .collect::<Result<Vec<_>, _>>()?;
        tx.commit().map_err(|e| self.error(e))?;
        self.keep_wal_short();
        Ok(ids)
    }

    fn insert(&self, event: &NewEvent) -> Result<i64, StoreError> {
        let data = event.data.to_string();
        let inserted = self
            .conn
            .execute(
                "INSERT INTO events (at_ms, kind, agent, session, external_id, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (external_id) WHERE external_id IS NOT NULL DO NOTHING",
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
            return Ok(self.conn.last_insert_rowid());
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

/// Brings the store to [`SCHEMA_VERSION`] in one transaction. Another process doing the same
/// at the same moment waits for it, then finds nothing left to do.
fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let steps = || -> rusqlite::Result<()> {
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version == 1 {
            // Version 1 had AUTOINCREMENT and indexed every event's external id, five pages
            // written per event against three now: the table is rebuilt, ids kept.
            conn.execute_batch(&format!(
                "{}
                 INSERT INTO events_v2 (id, at_ms, kind, agent, session, external_id, data)
                     SELECT id, at_ms, kind, agent, session, external_id, data FROM events;
                 DROP TABLE events;
                 ALTER TABLE events_v2 RENAME TO events;",
                events_table("events_v2")
            ))?;
        }
        if version < SCHEMA_VERSION {
            conn.execute_batch(&format!(
                "{} {EVENTS_INDEXES} PRAGMA user_version = {SCHEMA_VERSION};",
                events_table("events")
            ))?;
        }
        Ok(())
    };
    match steps() {
        Ok(()) => conn.execute_batch("COMMIT"),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests;
