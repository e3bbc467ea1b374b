"""Incremental rollups (`rollups_incremental`): accepting, revising and sending back returns moves
the rollups by what changed, and the result is exactly what the full rebuild (`rollups.refresh`)
gives — every column, NULL against 0, rows that disappear — on SQLite and PostgreSQL."""

import random
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from gaoxin.enterprises.models import Enterprise
from gaoxin.statistics import publish, rollups, rollups_incremental, services
from gaoxin.statistics.models import Return, ReturnStatus, ReturnValue, Rollup
from tests.factories import EnterpriseFactory, TagFactory
from tests.support.returns import indicator, put_values

COLUMNS = (
    "zone_id", "indicator_id", "period", "dimension", "key", "enterprises", "value",
    "month_value", "same_value", "base_value", "same_month", "base_month", "month_count",
    "same_count", "same_month_count",
)  # fmt: skip
# Year-before bases (2020 on 2019), the December → 1–2月 edge, a month whose next month moves.
PERIODS = (201911, 201912, 202002, 202003, 202011, 202012, 202102)
REQUIRED = ("output_value", "revenue", "industrial_electricity")
OPTIONAL = ("profit", "industrial_tax", "rd_spending", "exports")


def snapshot(zones) -> set[tuple]:
    return set(Rollup.objects.filter(zone__in=zones).values_list(*COLUMNS))


def rebuilt(zones) -> set[tuple]:
    """What the full rebuild makes of the values as they are (computed in a savepoint that is
    rolled back, so the incremental rows stay for the next step)."""
    with transaction.atomic():
        Rollup.objects.filter(zone__in=zones).delete()
        for zone in zones:
            rollups.refresh_all(zone.pk)
        rows = snapshot(zones)
        transaction.set_rollback(True)
    return rows


def assert_as_rebuilt(zones, step="") -> None:
    got, expected = snapshot(zones), rebuilt(zones)
    assert got == expected, (
        f"{step}\nonly incremental: {sorted(got - expected)}\n"
        f"only rebuilt: {sorted(expected - got)}"
    )


def figures(rng, size: int, period: int, *, drop: bool = True) -> dict:
    """A return's figures no error rule refuses: cumulative values within a band of the month
    (never below the previous month's, whatever was drawn there), some optional ones left out."""
    month = period % 100
    data = {}
    for code in REQUIRED + OPTIONAL:
        if code in OPTIONAL and drop and rng.random() < 0.3:
            data[code] = None
            continue
        share = {"industrial_electricity": 0.05, "profit": 0.06, "industrial_tax": 0.04,
                 "rd_spending": 0.03, "exports": 0.2}.get(code, 1)  # fmt: skip
        low = size * month * share
        data[code] = str(round(Decimal(low + rng.random() * 0.4 * size * share), 2))
    data["employees"] = str(rng.randint(20, 400))
    return data


def explain_all(actor, ret) -> Return:
    for finding in ret.findings.all():
        services.explain(actor, finding, "季节性因素")
    ret.refresh_from_db()
    return ret


def submitted(actor, enterprise, period, data) -> Return:
    ret = services.return_for(actor, enterprise, period, create=True)
    ret = services.save_draft(actor, ret, data=data, version=ret.version)
    ret = services.submit(actor, ret, version=ret.version)
    return explain_all(actor, ret)


@pytest.fixture
def zone(world):
    """Zone A: a1 (3974, tag 电子信息), a2 (1711, small), a3 (1711, no scale, two tags),
    a4 (3982, medium, below scale, tag 新材料), a5 (2761, reported to zone B in 2019 before it
    moved: no same-set base in zone A); b1 in zone B reports too."""
    tag_b = TagFactory(zone=world.zone_a, name="新材料")
    Enterprise.objects.filter(pk=world.a1.pk).update(scale="large", above_scale=True)
    Enterprise.objects.filter(pk=world.a2.pk).update(scale="small", above_scale=True)
    a3 = EnterpriseFactory(zone=world.zone_a, industry_id="1711", scale="", above_scale=True)
    a3.tags.add(world.tag_a, tag_b)
    a4 = EnterpriseFactory(zone=world.zone_a, industry_id="3982", scale="medium")
    a4.tags.add(tag_b)
    a5 = EnterpriseFactory(zone=world.zone_a, industry_id="2761", above_scale=True)
    put_values(a5, 201911, {"output_value": 70}, {"output_value": 7}, zone=world.zone_b)
    put_values(a5, 201912, {"output_value": 80}, {"output_value": 10}, zone=world.zone_b)
    for z in (world.zone_a, world.zone_b):
        rollups.refresh_all(z.pk)
    world.a3, world.a4, world.a5 = a3, a4, a5
    world.members = [world.a1, world.a2, a3, a4, a5, world.b1]
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [7, 2019])
def test_random_accepts_revisions_and_send_backs_equal_a_full_rebuild(zone, seed):
    rng = random.Random(seed)
    actor, zones = zone.admin, [zone.zone_a, zone.zone_b]
    sizes = {e.pk: rng.choice((10, 100, 1000)) for e in zone.members}
    done = {"accept": 0, "revise-accept": 0, "revise-send-back": 0, "batch": 0}
    for step in range(40):
        returns = {(r.enterprise_id, r.period): r for r in Return.objects.all()}
        accepted = [r for r in returns.values() if r.status == ReturnStatus.ACCEPTED]
        kind = rng.choice(("accept", "accept", "revise", "batch") if accepted else ("accept",))
        if kind == "accept":
            enterprise, period = rng.choice(zone.members), rng.choice(PERIODS)
            ret = returns.get((enterprise.pk, period))
            data = figures(rng, sizes[enterprise.pk], period)
            if ret is None or ret.status != ReturnStatus.ACCEPTED:
                if ret is not None and ret.status == ReturnStatus.SUBMITTED:
                    ret = services.send_back(actor, ret, reason="请核对", version=ret.version)
                if ret is not None:
                    ret = services.save_draft(actor, ret, data=data, version=ret.version)
                    ret = explain_all(actor, services.submit(actor, ret, version=ret.version))
                else:
                    ret = submitted(actor, enterprise, period, data)
                services.accept(actor, ret, version=ret.version)
                done["accept"] += 1
        elif kind == "revise":
            ret = rng.choice(accepted)
            data = figures(rng, sizes[ret.enterprise_id], ret.period)
            ret = services.revise(actor, ret, data=data, reason="更正", version=ret.version)
            ret = explain_all(actor, ret)
            if rng.random() < 0.7:
                services.accept(actor, ret, version=ret.version)
                done["revise-accept"] += 1
            else:  # sent back: the accepted figures stay published
                services.send_back(actor, ret, reason="请重新核对", version=ret.version)
                done["revise-send-back"] += 1
        else:  # a few returns of one period accepted at once
            period = rng.choice(PERIODS)
            fresh = [e for e in zone.members[:5] if (e.pk, period) not in returns]
            for enterprise in rng.sample(fresh, min(len(fresh), rng.randint(1, 3))):
                submitted(actor, enterprise, period, figures(rng, sizes[enterprise.pk], period))
            services.accept_clean(actor, zone.zone_a, period)
            done["batch"] += 1
        assert_as_rebuilt(zones, f"step {step} ({kind})")
    # The run went through every path, and the rollups have NULL sums beside counted ones.
    assert all(done.values()), done
    rows = snapshot(zones)
    assert any(r[COLUMNS.index("month_value")] is None for r in rows)
    assert any(r[COLUMNS.index("same_value")] is None for r in rows)
    assert any(r[COLUMNS.index("same_value")] is not None for r in rows)


def rows_by_key(zone) -> dict:
    """{(indicator, period, dimension, key): (id, the figures)} of the zone's rollups."""
    return {
        row[1:5]: (row[0], row[5:])
        for row in Rollup.objects.filter(zone=zone).values_list("pk", *COLUMNS[1:])
    }


def accept_revision(actor, ret, data) -> Return:
    ret = services.revise(actor, ret, data=data, reason="更正", version=ret.version)
    return services.accept(actor, explain_all(actor, ret), version=ret.version)


@pytest.mark.django_db
def test_one_accept_updates_only_its_groups_in_place(zone):
    """The accept path moves the rows of the enterprise's own groups in place and leaves every
    other row alone (the full refresh deleted and rewrote every row of the affected periods)."""
    actor, rng = zone.admin, random.Random(1)
    for enterprise in (zone.a1, zone.a2):
        for period in (201912, 202012):
            ret = submitted(actor, enterprise, period, figures(rng, 100, period, drop=False))
            services.accept(actor, ret, version=ret.version)
    before = rows_by_key(zone.zone_a)
    ret = Return.objects.get(enterprise=zone.a1, period=201912)
    with CaptureQueriesContext(connection) as queries:
        accept_revision(actor, ret, {"output_value": "2500"})
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert rollups.TEMP not in sql  # the full refresh's table
    assert rollups_incremental.DELTA in sql
    after = rows_by_key(zone.zone_a)
    assert after.keys() == before.keys()
    output = indicator("output_value").pk
    moved = {k for k in after if after[k] != before[k]}
    # a1's groups of output value in 2019-12 (its value) and 2020-12 (its base), nothing else.
    assert before[(output, 202012, "all", "")][1] != after[(output, 202012, "all", "")][1]
    a1_keys = {("all", ""), ("section", "C"), ("division", "39"), ("scale", "large"),
               ("above_scale", "1"), ("tag", str(zone.tag_a.pk))}  # fmt: skip
    assert moved == {(output, p, d, k) for p in (201912, 202012) for d, k in a1_keys}
    assert all(after[k][0] == before[k][0] for k in after)  # updated in place, same rows
    assert_as_rebuilt([zone.zone_a])


@pytest.mark.django_db
def test_the_old_full_refresh_rewrites_every_row(zone, django_capture_on_commit_callbacks):
    """The baseline kept behind `publish.full_refresh()` (the benchmark compares with it)
    recomputes every row of the affected periods: new rows, same figures."""
    actor, rng = zone.admin, random.Random(2)
    for enterprise in (zone.a1, zone.a2):
        ret = submitted(actor, enterprise, 201912, figures(rng, 100, 201912, drop=False))
        services.accept(actor, ret, version=ret.version)
    ids = set(Rollup.objects.filter(zone=zone.zone_a, period=201912).values_list("pk", flat=True))
    ret = Return.objects.get(enterprise=zone.a1, period=201912)
    with publish.full_refresh(), django_capture_on_commit_callbacks(execute=True):
        accept_revision(actor, ret, {"output_value": "2500"})
    fresh = set(Rollup.objects.filter(zone=zone.zone_a, period=201912).values_list("pk", flat=True))
    assert ids and not ids & fresh
    assert_as_rebuilt([zone.zone_a])


@pytest.mark.django_db
def test_a_group_left_empty_disappears_and_a_sum_over_none_is_null_again(zone):
    actor = zone.admin
    ret = submitted(
        actor, zone.a4, 202003, {**figures(random.Random(3), 10, 202003), "exports": "5"}
    )
    services.accept(actor, ret, version=ret.version)
    exports = indicator("exports").pk
    key = dict(zone=zone.zone_a, indicator_id=exports, period=202003)
    # No 1–2月 value: a cumulative month value is unknown, so the month sum is NULL, not 0.
    assert Rollup.objects.get(**key, dimension="scale", key="medium").month_value is None
    ret = Return.objects.get(enterprise=zone.a4, period=202003)
    accept_revision(actor, ret, {"exports": None})
    assert not Rollup.objects.filter(**key).exists()
    assert_as_rebuilt([zone.zone_a])


@pytest.mark.django_db
def test_a_stale_group_falls_back_to_the_full_refresh(zone):
    """The rollups counted a4 under division 17 (its industry at the last rebuild); it is 39
    again now, so taking its exports out of division 39 would leave a count below zero: the
    database refuses and the affected periods are rebuilt from the values instead."""
    actor, rng = zone.admin, random.Random(4)
    ret = submitted(actor, zone.a4, 201912, figures(rng, 10, 201912, drop=False))
    services.accept(actor, ret, version=ret.version)
    Enterprise.objects.filter(pk=zone.a4.pk).update(industry_id="1711")
    rollups.refresh_all(zone.zone_a.pk)
    Enterprise.objects.filter(pk=zone.a4.pk).update(industry_id="3982")
    ret = Return.objects.get(enterprise=zone.a4, period=201912)
    ret = services.revise(actor, ret, data={"exports": None}, reason="更正", version=ret.version)
    change = rollups_incremental.begin(zone.zone_a.pk, [zone.a4.pk], [201912, 202012])
    publish.publish_many(zone.zone_a, [ret], refresh=False)
    change.apply()
    assert change.fell_back
    assert_as_rebuilt([zone.zone_a])


@pytest.mark.django_db
def test_a_big_batch_refreshes_in_full_on_commit(
    zone, monkeypatch, django_capture_on_commit_callbacks
):
    actor, rng = zone.admin, random.Random(5)
    monkeypatch.setattr(publish, "INCREMENTAL_MAX", 1)
    for enterprise in (zone.a1, zone.a2):
        submitted(actor, enterprise, 202002, figures(rng, 100, 202002))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.accept_clean(actor, zone.zone_a, 202002) == 2
    assert len(callbacks) == 1
    assert_as_rebuilt([zone.zone_a])


def _publish_in_thread(ret, *, hold=None, held=None, errors):
    """Publish the return in a connection of its own; with `hold`, keep the transaction open
    (its row locks held) after the rollups moved, until `hold` is set. (`services.accept` locks
    the return with its enterprise and zone, so two accepts of one zone already queue there;
    `publish_many`, which accept_clean and the importers call too, must not rely on it.)"""

    def run():
        try:
            with transaction.atomic():
                publish.publish_many(ret.zone_id, [ret])
                if held is not None:
                    held.set()
                    hold.wait(30)
        except Exception as exc:  # re-raised in the test
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_for_a_lock_wait() -> bool:
    """True once a session of this database waits on a lock (the second officer's accept)."""
    for _ in range(300):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "first, second",
    [
        # two enterprises of the same groups: the second waits on the rollup rows
        (("a1", 201912), ("a2", 201912)),
        # one enterprise, a month and its same month next year (its same-set base): the second
        # waits on the enterprise and then sees the first's values
        (("a1", 201911), ("a1", 202011)),
    ],
)
def test_two_returns_published_at_once_lose_no_update(zone, first, second):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; row locks are PostgreSQL's")
    actor, rng = zone.admin, random.Random(6)
    for key, period in {first, second} | {("a1", 202011), ("a2", 201912)}:
        if key == first[0] and period == first[1] and period == 201911:
            continue  # a1's 2019-11 is new: its base appears under the second accept
        ret = submitted(actor, getattr(zone, key), period, figures(rng, 100, period, drop=False))
        services.accept(actor, ret, version=ret.version)
    pending = []
    for key, period in (first, second):
        ret = Return.objects.filter(enterprise=getattr(zone, key), period=period).first()
        data = figures(rng, 100, period, drop=False)
        if ret is None:
            pending.append(submitted(actor, getattr(zone, key), period, data))
        else:
            ret = services.revise(actor, ret, data=data, reason="更正", version=ret.version)
            pending.append(explain_all(actor, ret))
    errors, hold, held = [], threading.Event(), threading.Event()
    one = _publish_in_thread(pending[0], hold=hold, held=held, errors=errors)
    assert held.wait(30), errors
    two = _publish_in_thread(pending[1], errors=errors)
    waited = _wait_for_a_lock_wait()
    hold.set()
    one.join(30)
    two.join(30)
    assert not errors, errors
    assert waited  # the second publish queued behind the first's locks
    published = ReturnValue.objects.filter(ret__in=pending).values_list("ret", flat=True)
    assert set(published) == {r.pk for r in pending}
    assert_as_rebuilt([zone.zone_a, zone.zone_b])


@pytest.mark.django_db
def test_a_batch_whose_changes_cancel_out_in_the_total_still_moves_the_same_set_sums(zone):
    """a1 (with a 2018 base) +5, a2 (without) −5, accepted together: the zone's total does not
    move, its same-set sum does."""
    actor, rng = zone.admin, random.Random(8)
    ret = submitted(actor, zone.a1, 201812, figures(rng, 100, 201812, drop=False))
    services.accept(actor, ret, version=ret.version)
    made = {}
    for enterprise, output in ((zone.a1, "1300"), (zone.a2, "1250")):  # whole: no float residue
        data = {**figures(rng, 100, 201912, drop=False), "output_value": output}
        ret = submitted(actor, enterprise, 201912, data)
        made[enterprise.pk] = services.accept(actor, ret, version=ret.version)
    for enterprise, step in ((zone.a1, 5), (zone.a2, -5)):
        ret = made[enterprise.pk]
        output = Decimal(ret.data["output_value"]) + step
        ret = services.revise(
            actor, ret, data={"output_value": str(output)}, reason="更正", version=ret.version
        )
        explain_all(actor, ret)
    before = Rollup.objects.get(
        zone=zone.zone_a, indicator=indicator("output_value"), period=201912, dimension="all"
    )
    assert services.accept_clean(actor, zone.zone_a, 201912) == 2
    after = Rollup.objects.get(pk=before.pk)
    assert after.value == before.value
    assert after.same_value == before.same_value + 5
    assert_as_rebuilt([zone.zone_a])
