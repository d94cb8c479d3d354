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
            .append(&NewEvent::new("context", json!({ "i": i, "pad": big })).session("claude", "s"))
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
fn a_version_1_store_is_rebuilt_keeping_its_events_and_ids() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("h.db");
    {
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE events (
                id INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL,
                kind TEXT NOT NULL, agent TEXT, session TEXT, external_id TEXT UNIQUE,
                data TEXT NOT NULL CHECK (json_valid(data)));
             CREATE INDEX events_by_session ON events (agent, session, id);
             CREATE INDEX events_by_kind ON events (kind, id);
             CREATE TRIGGER events_no_delete BEFORE DELETE ON events
             BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
             INSERT INTO events (id, at_ms, kind, agent, session, data)
             VALUES (7, 1, 'context', 'claude', 's', '{\"keys\":[\"rule:a\"]}');
             INSERT INTO events (id, at_ms, kind, external_id, data)
             VALUES (9, 2, 'feedback', 'github:1', '{}');
             PRAGMA user_version = 1;",
        )
        .expect("version 1 schema");
    }
    let store = Store::open(&path).expect("upgrade");
    let events = store
        .session_events_of("claude", "s", &["context"])
        .expect("query");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].id, 7);
    let mut again = NewEvent::new("feedback", json!({}));
    again.external_id = Some("github:1".to_owned());
    assert_eq!(store.append(&again).expect("append"), 9);
    assert_eq!(
        store
            .append(&NewEvent::new("context", json!({})))
            .expect("append"),
        10
    );
    let indexes: Vec<String> = store
        .conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("names");
    assert_eq!(
        indexes,
        [
            "events_by_external",
            "events_by_kind",
            "events_by_session_kind"
        ]
    );
    let version: i64 = store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, SCHEMA_VERSION);
    let delete = store.conn.execute("DELETE FROM events", []);
    assert!(delete.is_err_and(|e| e.to_string().contains("append-only")));
}

/// WAL bytes `write` adds to a store whose WAL was just emptied.
fn wal_growth(store: &Store, write: impl FnOnce(&Store)) -> u64 {
    store
        .conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
    let wal = || std::fs::metadata(store.path.with_extension("db-wal")).map_or(0, |m| m.len());
    let before = wal();
    write(store);
    wal() - before
}

#[test]
fn an_event_writes_few_pages_and_a_batch_shares_them() {
    let (_dir, store) = store();
    for i in 0..50 {
        store
            .append(&NewEvent::new("context", json!({ "i": i })).session("claude", "s"))
            .expect("append");
    }
    let frame = 4096 + 24;
    let header = 32;
    let one = wal_growth(&store, |s| {
        s.append(&NewEvent::new("edit", json!({})).session("claude", "s"))
            .expect("append");
    });
    // The table's page, its two indexes' pages, and nothing for an absent external id.
    assert!(one <= header + 3 * frame, "{one} bytes");
    let two = wal_growth(&store, |s| {
        let events = [
            NewEvent::new("edit", json!({})).session("claude", "s"),
            NewEvent::new("findings", json!({})).session("claude", "s"),
        ];
        assert_eq!(s.append_all(&events).expect("append").len(), 2);
    });
    assert!(two <= header + 3 * frame, "{two} bytes");
    assert_eq!(
        store
            .session_events_of("claude", "s", &["edit", "findings"])
            .expect("query")
            .len(),
        3
    );
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
