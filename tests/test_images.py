"""Row images: each run of created rows keeps its rows' values in the journal, and rows deleted
behind the seeder's back are created again from them, without running an enricher, exactly as
the whole run would plan them. What the images cannot give back, the writers make again."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis_profiles import examples

from mentara_seed.planner import running
from mentara_seed.planner.snapshot import LiveState
from mentara_seed.schema.tables import TABLES
from mentara_seed.schema.values import fingerprint, from_text, imaged, structured_columns
from mentara_seed.state import journal

FIRST_POST = 'WHERE id = (SELECT min(id) FROM "Post")'


def _plan(cli, url, *extra):
    code, out, err = cli("plan", "--database-url", url, "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


def _events(dbs):
    return "seed_state.seed_row_event" if dbs.backend == "postgresql" else "seed_row_event"


@pytest.fixture
def ran(monkeypatch):
    """The enrichers each plan runs."""
    names: list[str] = []
    real = running.run_one

    def run_one(ctx, e, need, scope):
        names.append(e.name)
        return real(ctx, e, need, scope)

    monkeypatch.setattr(running, "run_one", run_one)
    return names


def test_deleted_rows_come_back_from_the_journal_as_the_whole_run_plans_them(dbs, cli, sql,
                                                                            ran):
    url = dbs.seeded()
    # A post goes, and the schema's cascades take its comments, hearts and reports along.
    sql(url, f'DELETE FROM "Post" {FIRST_POST}')
    sql(url, 'DELETE FROM "Comment" WHERE id = (SELECT max(id) FROM "Comment")')
    ran.clear()  # (building the seeded template ran them)
    quick = _plan(cli, url)
    assert quick["restored"] is True and quick["partial"] == [] and ran == []
    full = _plan(cli, url, "--full")
    assert full["restored"] is False and ran  # the whole run, for comparison
    assert quick["changes"] == full["changes"] and quick["held"] == full["held"] == []
    assert quick["changes_hash"] == full["changes_hash"]
    assert {"Post", "Comment"} <= {c["table"] for c in quick["changes"]}
    code, out, err = cli("apply", "--database-url", url)
    assert code == 0 and "recorded for them" in out and "every minimum holds" in out, out + err
    again = _plan(cli, url)
    assert again["reused"] is True and again["changes"] == []


def _without_images(dbs, sql, url, table=None):
    where = f" WHERE table_name = '{table}'" if table else ""
    sql(url, f"UPDATE {_events(dbs)} SET image = NULL{where}")


@pytest.mark.parametrize("how", ["no image", "unreadable image", "image of other values"])
def test_rows_the_images_cannot_give_back_are_made_again_by_their_writers(dbs, cli, sql, ran,
                                                                         how):
    url = dbs.seeded()
    if how == "no image":  # runs an earlier version wrote
        _without_images(dbs, sql, url, "Post")
    elif how == "unreadable image":
        sql(url, f"UPDATE {_events(dbs)} SET image = :junk WHERE table_name = 'Post'",
            junk=b"not zlib")
    else:  # an image whose rows do not have the fingerprints the journal recorded
        sql(url, f"UPDATE {_events(dbs)} SET image = :other WHERE table_name = 'Post'",
            other=zlib.compress(b"posts\t['someone else']"))
    sql(url, f'DELETE FROM "Post" {FIRST_POST}')
    quick = _plan(cli, url)
    assert quick["restored"] is False and "posts" in quick["partial"]
    assert quick["changes"] == _plan(cli, url, "--full")["changes"]


def test_an_image_is_read_without_running_it(dbs, cli, sql, tmp_path):
    url = dbs.seeded()
    planted = "posts\t[__import__('pathlib').Path('ran').touch()]"
    sql(url, f"UPDATE {_events(dbs)} SET image = :planted WHERE table_name = 'Post'",
        planted=zlib.compress(planted.encode()))
    sql(url, f'DELETE FROM "Post" {FIRST_POST}')
    quick = _plan(cli, url)
    assert not (tmp_path / "ran").exists()
    assert quick["restored"] is False and "posts" in quick["partial"]


def test_a_row_updated_since_it_was_created_is_made_again_by_its_writer(dbs, cli, sql, ran):
    # Its last event is an update, which keeps no image: the writer makes it again.
    url = dbs.seeded()
    sql(url, f"""UPDATE "Post" SET title = 'edited in the app' {FIRST_POST}""")
    code, out, err = cli("apply", "--database-url", url, "--update")
    assert code == 0 and "1 updated" in out, out + err
    sql(url, f'DELETE FROM "Post" {FIRST_POST}')
    quick = _plan(cli, url, "--update")
    assert quick["restored"] is False and "posts" in quick["partial"]
    assert quick["changes"] == _plan(cli, url, "--update", "--full")["changes"]
    assert [(c["action"], c["table"]) for c in quick["changes"]][0] == ("create", "Post")


def test_every_seeded_value_reads_back_from_its_image(dbs, engine_for):
    url = dbs.seeded()
    with engine_for(url).connect() as conn:
        live = LiveState.read(conn, TABLES)
    for table in live.tables():
        structured = structured_columns(TABLES[table])
        for row in live.rows(table):
            fp, text = imaged(row)
            assert fp == fingerprint(row)
            # Looking only at the columns that can hold JSON objects finds the same.
            assert imaged(row, structured) == (fp, text)
            assert from_text(text) == list(row.values()), (table, text)


def test_only_json_columns_are_structured():
    """Every column whose seeded values can hold a mapping or a nested list is looked at;
    the arrays of text and numbers are not."""
    assert structured_columns(TABLES["Post"]) == ()
    assert "data" in structured_columns(TABLES["Notification"])
    assert "answers" in structured_columns(TABLES["PreAssessment"])
    assert "certifications" in structured_columns(TABLES["Therapist"])
    assert "certificateUrls" not in structured_columns(TABLES["Therapist"])


VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-2**63, 2**63), st.text(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=dt.datetime(1900, 1, 1)).map(
        lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000, fold=0)),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(Decimal),
    st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text()),
                 lambda inner: st.lists(inner, max_size=3)
                 | st.dictionaries(st.text(), inner, max_size=3), max_leaves=6),
)


@examples(25)
@given(rows=st.lists(st.lists(VALUES, min_size=1, max_size=5), min_size=1, max_size=4))
def test_an_image_gives_back_every_row_it_was_made_of(rows):
    lines = [("some-enricher", imaged(dict(enumerate(values)))[1]) for values in rows]
    unpacked = zlib.decompress(journal.image(lines)).decode().split("\n")
    assert len(unpacked) == len(rows)
    for line, values in zip(unpacked, rows, strict=True):
        enricher, _, text = line.partition("\t")
        assert enricher == "some-enricher" and from_text(text) == values
