"""The load benchmark's harness (bench/bench_load.py), briefly, on SQLite and PostgreSQL: auditors
saving at once lose no acknowledged save, and the lost-revision check finds one when it is there,
so a benchmark that prints 0 lost means something."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import bench_load as bl

from caseaudit.store import open_store
from caseaudit.store.schema import form_heads, forms, revisions

pytestmark = pytest.mark.both_databases


def test_simultaneous_saves_lose_nothing_and_the_check_finds_a_planted_loss(
        database_url: Callable[[str], str]) -> None:
    url = database_url("load")
    p = bl.partnership(auditors=12, cases=12)  # two auditors an agency: each pair shares forms
    figures = bl.measure("test", url, p, seconds=3, auditors=12, viewers=1, think=0.05,
                         viewer_think=0.2, pairs=1, floor_seconds=1)
    load = figures.load
    assert figures.lost == []
    assert load.errors == [] and load.load_errors == []
    # how many saves fit in 3 s depends on the machine; the checks below need only some, with
    # at least one form saved twice
    assert load.acks and figures.floor_saves.acks and figures.floor_loads.loads
    assert load.loads, "the viewer loaded the dashboard's results"
    # paired auditors saving one form every 50 ms collide: refused, reported, never lost
    # (on PostgreSQL some may still be StoreErrors, from a unique key or a deadlock: reported to
    # the person, and printed by the benchmark with the database's error underneath)
    assert load.conflicts + len(load.refused) > 0

    acks = [*figures.floor_saves.acks, *load.acks]
    store = open_store(url, create=False)
    try:
        assert bl.lost_revisions(store, p.live.id, acks) == []
        ack = next((a for a in acks if a.revision_no >= 2 and len(a.grades) >= 2), None)
        assert ack is not None, "some form was saved twice, so a head can be moved back"
        cid = next(iter(ack.grades))
        other = next(c for c in p.framework.scale_of(cid).codes if c != ack.grades[cid])
        others = [a for a in acks if a is not ack]
        planted = {  # what an auditor was told, against what the log holds
            "other answers": [*others, dataclasses.replace(ack, grades={**ack.grades, cid: other})],
            "saved by": [*others, dataclasses.replace(ack, saved_by="AUD-X")],
            "not in the revision log": [*acks, dataclasses.replace(ack, revision_no=10**6)],
            "acknowledged twice": [*acks, ack],
            "nobody was told": others,
        }
        for expected, fed in planted.items():
            found = bl.lost_revisions(store, p.live.id, fed)
            assert found and expected in found[0], (expected, found)
            assert all(str(ack.key) in line for line in found), found  # that form's, nothing else

        # a head moved back onto an earlier revision: the latest acknowledged one silently lost
        latest = max((a for a in acks if a.key == ack.key), key=lambda a: a.revision_no)
        with store.engine.begin() as conn:
            form_id, earlier = conn.execute(
                sa.select(revisions.c.form_id, revisions.c.revision_id)
                .join(form_heads, form_heads.c.form_id == revisions.c.form_id)
                .where(form_heads.c.revision_no == latest.revision_no,
                       revisions.c.revision_no == latest.revision_no - 1,
                       form_heads.c.round_id == p.live.id,
                       form_heads.c.form_id.in_(
                           sa.select(forms.c.form_id).where(
                               forms.c.case_id == ack.key.case_id, forms.c.agency == ack.key.agency,
                               forms.c.auditor == ack.key.auditor)))).one()
            conn.execute(form_heads.update().where(form_heads.c.form_id == form_id)
                         .values(revision_id=earlier, revision_no=latest.revision_no - 1))
        found = bl.lost_revisions(store, p.live.id, acks)
        assert len(found) == 1 and "its head is revision" in found[0], found
    finally:
        store.dispose()
