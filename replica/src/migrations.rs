//! Versioned schema migrations of the local store. A migration only ever adds: it never drops
//! a user's data (invariant 4). Projection tables may be dropped and rebuilt from documents.
//!
//! `PRAGMA user_version` holds how many migrations the file has had.

use rusqlite::Connection;

use crate::error::{ReplicaError, Result};

/// Each entry is one migration, applied in order, in its own transaction.
pub const MIGRATIONS: &[&str] = &[
    // 1: the source of truth — saved automerge documents — and store metadata.
    "CREATE TABLE documents (
        doc_id     TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        bytes      BLOB NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;",
    // 2: projections of the catalog for listing and search (rebuilt from documents).
    "CREATE TABLE providers (
        id     TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL,
        kind   TEXT NOT NULL,
        name   TEXT NOT NULL,
        data   TEXT NOT NULL
    ) STRICT;
    CREATE TABLE services (
        id          TEXT PRIMARY KEY,
        doc_id      TEXT NOT NULL,
        provider_id TEXT NOT NULL,
        name        TEXT NOT NULL,
        data        TEXT NOT NULL
    ) STRICT;
    CREATE TABLE service_categories (
        service_id TEXT NOT NULL,
        category   TEXT NOT NULL,
        PRIMARY KEY (service_id, category)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX service_categories_by_category ON service_categories (category);
    CREATE TABLE articles (
        id     TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL,
        title  TEXT NOT NULL,
        grp    TEXT NOT NULL,
        data   TEXT NOT NULL
    ) STRICT;
    CREATE VIRTUAL TABLE search_fts USING fts5(
        kind UNINDEXED, ref UNINDEXED, name, keywords, categories, body,
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row');",
    // 3: sync bookkeeping. `sync_docs` holds, per document that takes part in sync, its scope,
    // the change hashes the server is known to hold (with all their ancestors), and whether
    // it has local changes to push; `sync_cursors` the last log position pulled per stream.
    "CREATE TABLE sync_docs (
        doc_id TEXT PRIMARY KEY,
        scope  TEXT NOT NULL,
        acked  BLOB NOT NULL,
        dirty  INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX sync_docs_dirty ON sync_docs (dirty) WHERE dirty = 1;
    CREATE TABLE sync_cursors (stream TEXT PRIMARY KEY, seq INTEGER NOT NULL) STRICT;",
    // 4: opportunities (a projection), and what the person keeps on this device only: their
    // favourite services and the ones they opened lately. These never sync.
    "CREATE TABLE opportunities (
        id        TEXT PRIMARY KEY,
        doc_id    TEXT NOT NULL,
        office_id TEXT NOT NULL,
        deadline  TEXT NOT NULL,
        data      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX opportunities_by_deadline ON opportunities (deadline);
    CREATE TABLE favourites (service_id TEXT PRIMARY KEY, added_at TEXT NOT NULL) STRICT;
    CREATE TABLE recent (service_id TEXT PRIMARY KEY, viewed_at TEXT NOT NULL) STRICT;",
    // 5: projections of personal documents — a citizen's requests; the people, outreaches,
    // encounters and referrals of an office's field and staff devices — and form drafts,
    // saved as the person types (device-only, never synced).
    "CREATE TABLE requests (
        id         TEXT PRIMARY KEY,
        doc_id     TEXT NOT NULL,
        office_id  TEXT NOT NULL,
        device     TEXT NOT NULL,
        status     TEXT NOT NULL,
        created_at TEXT NOT NULL,
        data       TEXT NOT NULL
    ) STRICT;
    CREATE INDEX requests_by_status ON requests (status, created_at);
    CREATE TABLE people (
        id           TEXT PRIMARY KEY,
        doc_id       TEXT NOT NULL,
        office_id    TEXT NOT NULL,
        display_name TEXT NOT NULL,
        data         TEXT NOT NULL
    ) STRICT;
    CREATE TABLE outreaches (
        id        TEXT PRIMARY KEY,
        doc_id    TEXT NOT NULL,
        office_id TEXT NOT NULL,
        date      TEXT NOT NULL,
        data      TEXT NOT NULL
    ) STRICT;
    CREATE TABLE encounters (
        id        TEXT PRIMARY KEY,
        doc_id    TEXT NOT NULL,
        person_id TEXT NOT NULL,
        at        TEXT NOT NULL,
        data      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX encounters_by_person ON encounters (person_id, at);
    CREATE TABLE referrals (
        id         TEXT PRIMARY KEY,
        doc_id     TEXT NOT NULL,
        person_id  TEXT NOT NULL,
        service_id TEXT NOT NULL,
        status     TEXT NOT NULL,
        data       TEXT NOT NULL
    ) STRICT;
    CREATE INDEX referrals_by_person ON referrals (person_id);
    CREATE TABLE drafts (
        form       TEXT PRIMARY KEY,
        data       TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;",
    // 6: what each catalog document put in the full-text index, by rowid, and the projection
    // tables indexed by document, so rewriting one document forgets its rows without scanning
    // (an HSDS import writes thousands of catalog documents). Projections only: the store
    // rebuilds them after this migration.
    "CREATE TABLE search_rows (
        fts_rowid INTEGER PRIMARY KEY,
        doc_id    TEXT NOT NULL
    ) STRICT;
    CREATE INDEX search_rows_by_doc ON search_rows (doc_id);
    CREATE INDEX services_by_doc ON services (doc_id);
    CREATE INDEX providers_by_doc ON providers (doc_id);
    CREATE INDEX articles_by_doc ON articles (doc_id);
    CREATE INDEX opportunities_by_doc ON opportunities (doc_id);",
    // 7: indexes for the monthly monitoring report (replica/src/reports.rs): encounters by
    // instant, referrals by when they were made and by status.
    "CREATE INDEX encounters_by_at ON encounters (at);
    CREATE INDEX referrals_by_made_at ON referrals (json_extract(data, '$.made_at'));
    CREATE INDEX referrals_by_status ON referrals (status, person_id);",
    // 8: people by whom they were merged into (a record shows its duplicates' history), and
    // the openings of a person's record by the team not yet sent to the server's audit log
    // (device-only; a row is deleted once the server accepted it).
    "CREATE INDEX people_by_merged_into ON people (json_extract(data, '$.merged_into'));
    CREATE TABLE audit_pending (
        id        TEXT PRIMARY KEY,
        username  TEXT NOT NULL,
        person_id TEXT NOT NULL,
        at        TEXT NOT NULL
    ) STRICT;",
    // 9: what the monthly monitoring report reads, as columns of the projection tables (so
    // the report never parses `data`), filled here for the rows already projected, and
    // covering indexes, so the report reads only index pages — the month's encounters and
    // referrals by instant, the office's people, the answered referrals.
    "ALTER TABLE people ADD COLUMN stage TEXT;
    ALTER TABLE people ADD COLUMN race TEXT;
    ALTER TABLE people ADD COLUMN gender TEXT;
    ALTER TABLE people ADD COLUMN merged_into TEXT;
    UPDATE people SET
        stage = json_extract(data, '$.stage'),
        race = json_extract(data, '$.race'),
        gender = json_extract(data, '$.gender_identity'),
        merged_into = json_extract(data, '$.merged_into');
    CREATE INDEX people_for_report ON people (office_id, id, stage, race, gender, merged_into);
    ALTER TABLE encounters ADD COLUMN office_id TEXT;
    ALTER TABLE encounters ADD COLUMN outreach_id TEXT;
    ALTER TABLE encounters ADD COLUMN needs TEXT;
    UPDATE encounters SET
        office_id = json_extract(data, '$.office_id'),
        outreach_id = json_extract(data, '$.outreach_id'),
        needs = json_extract(data, '$.needs');
    CREATE INDEX encounters_for_report
        ON encounters (at, office_id, person_id, outreach_id, needs);
    ALTER TABLE referrals ADD COLUMN office_id TEXT;
    ALTER TABLE referrals ADD COLUMN made_at TEXT;
    ALTER TABLE referrals ADD COLUMN outcome_at TEXT;
    UPDATE referrals SET
        office_id = json_extract(data, '$.office_id'),
        made_at = json_extract(data, '$.made_at'),
        outcome_at = json_extract(data, '$.outcome_at');
    CREATE INDEX referrals_for_report
        ON referrals (made_at, office_id, person_id, service_id, status);
    CREATE INDEX referrals_answered ON referrals (status, person_id, outcome_at);",
    // 10: documents a sync brought that could not be applied, read or projected, kept aside
    // raw (device-only, never synced): `held` is what came for it — changes and saved
    // documents, each prefixed by its length — retried when more of it comes and after an
    // update of the app. What the store already held of the document stays as it was.
    "CREATE TABLE quarantine (
        doc_id   TEXT PRIMARY KEY,
        scope    TEXT NOT NULL,
        kind     TEXT NOT NULL,
        reason   TEXT NOT NULL,
        held     BLOB NOT NULL,
        first_at TEXT NOT NULL,
        last_at  TEXT NOT NULL
    ) STRICT;",
    // 11: merges of people made on this device whose kept record has not reached the server
    // (device-only, see `erasure.rs`): the kept record's heads before the merge, so an
    // erasure of the duplicate arriving first takes back what the merge copied. (`IF NOT
    // EXISTS`: a test's "previous version" may leave later tables in place.)
    "CREATE TABLE IF NOT EXISTS merge_pending (
        kept         TEXT NOT NULL,
        duplicate    TEXT NOT NULL,
        before_heads BLOB NOT NULL,
        PRIMARY KEY (kept, duplicate)
    ) STRICT;
    CREATE INDEX IF NOT EXISTS merge_pending_by_duplicate ON merge_pending (duplicate);",
    // 12: what each read of a person's data in the audit log was: the record, a search
    // listing them, the referral slip.
    "ALTER TABLE audit_pending ADD COLUMN what TEXT NOT NULL DEFAULT 'record';",
    // 13: what the team home's "Pendências" reads (replica/src/worklist.rs): each person's
    // latest encounter with the return it scheduled, the goals of each person's plan as rows,
    // and the referrals still waiting for a counter-referral, each through a covering index
    // holding only the rows that can be due; and the people it may list — not merged into
    // another record, consent in force — with their office and name, so the worklist never
    // reads a row's `data`. Projections only: the
    // store rebuilds them after this migration. (`IF NOT EXISTS`: a test's "previous version"
    // may leave later tables in place.)
    "CREATE TABLE IF NOT EXISTS latest_encounters (
        person_id TEXT PRIMARY KEY,
        at        TEXT NOT NULL,
        follow_up TEXT
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS latest_encounters_returns
        ON latest_encounters (follow_up, person_id) WHERE follow_up IS NOT NULL;
    CREATE TABLE IF NOT EXISTS plan_goals (
        person_id TEXT NOT NULL,
        id        TEXT NOT NULL,
        status    TEXT NOT NULL,
        due       TEXT,
        action    TEXT NOT NULL,
        PRIMARY KEY (person_id, id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS plan_goals_open_by_due
        ON plan_goals (due, person_id, action, status)
        WHERE status = 'open';
    CREATE INDEX referrals_waiting ON referrals (made_at, person_id, service_id, status)
        WHERE status = 'encaminhado';
    CREATE TABLE IF NOT EXISTS worklist_people (
        id           TEXT PRIMARY KEY,
        office_id    TEXT NOT NULL,
        display_name TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;",
    // 14: how each person reached the office (`Person::origin`), for the report's table by
    // origin: a column of its own, in a covering index that replaces migration 9's (the
    // report still reads only index pages).
    "ALTER TABLE people ADD COLUMN origin TEXT;
    UPDATE people SET origin = json_extract(data, '$.origin');
    DROP INDEX IF EXISTS people_for_report;
    CREATE INDEX people_for_report_by_origin
        ON people (office_id, id, stage, race, gender, merged_into, origin);",
    // 15: the office's list of people expected to be released (`ExpectedRelease`); the
    // gate's week is read from the index of entries nobody has met yet.
    "CREATE TABLE IF NOT EXISTS expected_releases (
        id           TEXT PRIMARY KEY,
        doc_id       TEXT NOT NULL,
        office_id    TEXT NOT NULL,
        release_date TEXT NOT NULL,
        facility_id  TEXT NOT NULL,
        name         TEXT NOT NULL,
        person_id    TEXT,
        data         TEXT NOT NULL
    ) STRICT;
    CREATE INDEX IF NOT EXISTS expected_releases_unmet
        ON expected_releases (office_id, release_date, facility_id, name, id)
        WHERE person_id IS NULL;
    CREATE INDEX IF NOT EXISTS expected_releases_by_person ON expected_releases (person_id)
        WHERE person_id IS NOT NULL;",
];

/// The migration that made the `quarantine` table.
pub const QUARANTINE: i64 = 10;

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the file up to `target` migrations. Returns how many ran.
pub fn migrate(conn: &mut Connection, target: i64) -> Result<i64> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > latest() {
        return Err(ReplicaError::NewerStore { found: current });
    }
    let mut ran = 0;
    for (index, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(target as usize)
        .skip(current as usize)
    {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
        ran += 1;
    }
    Ok(ran)
}

/// Whether the file has a table (a store opened at an older `target`, in tests, may lack one).
pub(crate) fn has_table(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
        [name],
        |r| r.get(0),
    )?)
}
