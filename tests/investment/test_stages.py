"""Every stage rule, through the service that pages, API and importer share."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gaoxin.core.errors import StaleVersion
from gaoxin.core.models import AuditRecord
from gaoxin.investment import services
from gaoxin.investment.models import Project, StageEvent

D = datetime.date


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def move(world, project, stage, on, note=""):
    return services.move_stage(world.admin, project.pk, stage, on=on, note=note)


def test_forward_moves_record_dated_events_and_milestones(pipeline):
    w, p = pipeline.world, pipeline.p_lead
    move(w, p, "visit", D(2019, 2, 1))
    move(w, p, "negotiation", D(2019, 2, 20), "第二轮洽谈")
    move(w, p, "signed", D(2019, 3, 1))
    move(w, p, "started", D(2019, 5, 1))
    p = move(w, p, "production", D(2020, 1, 2))
    assert (p.stage, p.stage_on) == ("production", D(2020, 1, 2))
    assert (p.lead_on, p.visit_on, p.negotiation_on) == (
        D(2019, 1, 5),
        D(2019, 2, 1),
        D(2019, 2, 20),
    )
    assert (p.signed_on, p.started_on, p.production_on) == (
        D(2019, 3, 1),
        D(2019, 5, 1),
        D(2020, 1, 2),
    )
    events = list(p.events.values_list("kind", "from_stage", "stage", "on"))
    assert events == [
        ("enter", "", "lead", D(2019, 1, 5)),
        ("forward", "lead", "visit", D(2019, 2, 1)),
        ("forward", "visit", "negotiation", D(2019, 2, 20)),
        ("forward", "negotiation", "signed", D(2019, 3, 1)),
        ("forward", "signed", "started", D(2019, 5, 1)),
        ("forward", "started", "production", D(2020, 1, 2)),
    ]
    assert p.version == 6
    stage_records = AuditRecord.objects.for_object(p).filter(action="stage")
    assert stage_records.count() == 5
    assert stage_records.order_by("id").last().message == "开工 → 投产(2020-01-02)"


def test_pre_signing_stages_may_be_skipped(pipeline):
    p = move(pipeline.world, pipeline.p_lead, "signed", D(2019, 2, 1))
    assert p.stage == "signed" and p.visit_on is None and p.signed_on == D(2019, 2, 1)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("started", "「开工」只能从「签约」推进(当前为「线索」),请先登记签约"),
        ("production", "「投产」只能从「开工」推进(当前为「线索」),请先登记开工"),
        ("lead", "项目已处于「线索」阶段"),
        ("bogus", "无效的阶段 bogus"),
    ],
)
def test_forbidden_forward_moves_are_refused_and_change_nothing(pipeline, target, message):
    p = pipeline.p_lead
    with pytest.raises(ValidationError) as excinfo:
        move(pipeline.world, p, target, D(2019, 2, 1))
    assert errors_of(excinfo) == {"stage": [message]}
    fresh = Project.objects.get(pk=p.pk)
    assert (fresh.stage, fresh.version, fresh.events.count()) == ("lead", 1, 1)


def test_dates_never_in_the_future_nor_before_the_previous_stage(pipeline):
    p = pipeline.p_signed  # signed 2019-03-10
    tomorrow = services.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        move(pipeline.world, p, "started", tomorrow)
    assert errors_of(excinfo) == {"on": [f"日期 {tomorrow} 晚于今天({services.today()})"]}
    with pytest.raises(ValidationError) as excinfo:
        move(pipeline.world, p, "started", D(2019, 3, 9))
    assert errors_of(excinfo) == {"on": ["日期 2019-03-09 早于上一阶段「签约」的日期 2019-03-10"]}
    # Back-filled but in order is fine; the same day as the previous stage too.
    assert move(pipeline.world, p, "started", D(2019, 3, 10)).started_on == D(2019, 3, 10)


def test_back_needs_a_reason_and_clears_later_dates(pipeline):
    w, p = pipeline.world, pipeline.p_signed
    move(w, p, "started", D(2019, 6, 1))
    with pytest.raises(ValidationError) as excinfo:
        move(w, p, "visit", D(2019, 7, 1))
    assert errors_of(excinfo) == {"note": ["退回到「考察」必须说明原因"]}
    p = move(w, p, "visit", D(2019, 7, 1), "投资方更换,重新考察")
    assert (p.stage, p.visit_on, p.signed_on, p.started_on) == ("visit", D(2019, 1, 10), None, None)
    assert p.events.last().kind == StageEvent.Kind.BACK


def test_hold_and_resume_where_it_stopped(pipeline):
    w, p = pipeline.world, pipeline.p_signed
    with pytest.raises(ValidationError) as excinfo:
        move(w, p, "on_hold", D(2019, 4, 1))
    assert errors_of(excinfo) == {"note": ["暂缓必须说明原因"]}
    p = move(w, p, "on_hold", D(2019, 4, 1), "资金未落实")
    assert (p.stage, p.halted_from, p.signed_on) == ("on_hold", "signed", D(2019, 3, 10))
    with pytest.raises(ValidationError) as excinfo:
        move(w, p, "production", D(2019, 5, 1))
    assert errors_of(excinfo) == {
        "stage": ["「投产」只能从「开工」推进(当前为「签约」),请先登记开工"]
    }
    p = move(w, p, "signed", D(2019, 5, 1))  # resume
    assert (p.stage, p.halted_from, p.signed_on) == ("signed", "", D(2019, 3, 10))
    assert p.events.last().kind == StageEvent.Kind.RESUME


def test_dropped_is_final_and_production_cannot_be_held(pipeline):
    w = pipeline.world
    with pytest.raises(ValidationError) as excinfo:
        move(w, pipeline.p_lead, "dropped", D(2019, 2, 1))
    assert errors_of(excinfo) == {"note": ["终止必须说明原因"]}
    p = move(w, pipeline.p_lead, "dropped", D(2019, 2, 1), "投资方放弃")
    with pytest.raises(ValidationError) as excinfo:
        move(w, p, "visit", D(2019, 3, 1), "再谈")
    assert errors_of(excinfo) == {"stage": ["项目已终止,不能再变更阶段;如需重启请新建项目"]}
    with pytest.raises(ValidationError) as excinfo:
        move(w, pipeline.p_ent, "on_hold", D(2020, 1, 1), "停产")
    assert errors_of(excinfo) == {"stage": ["已投产的项目不能暂缓或终止"]}


def test_a_stale_version_is_refused(pipeline):
    with pytest.raises(StaleVersion):
        services.move_stage(
            pipeline.world.admin, pipeline.p_lead, "visit", on=D(2019, 2, 1), version=7
        )
    assert Project.objects.get(pk=pipeline.p_lead.pk).stage == "lead"


def test_new_projects_enter_at_a_pre_construction_stage(world):
    with pytest.raises(ValidationError) as excinfo:
        services.create_project(
            world.admin,
            world.zone_a,
            stage="started",
            on=D(2019, 1, 1),
            name="X",
            investor_name="Y",
            planned_investment=Decimal("1"),
        )
    assert errors_of(excinfo) == {
        "stage": ["新项目只能登记为「线索」、「考察」、「洽谈」、「签约」阶段"]
    }
    assert not Project.objects.exists()


def test_timeline_counts_days_in_each_stage(pipeline):
    from gaoxin.investment.stages import timeline

    p = pipeline.p_ent  # signed 2018-05-01, started 2018-08-01, production 2019-06-01
    rows = timeline(p, p.events.all(), D(2020, 1, 1))
    assert [(r["event"].stage, r["days"]) for r in rows] == [
        ("signed", 92),
        ("started", 304),
        ("production", None),
    ]


def test_speed_per_project(pipeline):
    p = Project.objects.get(pk=pipeline.p_signed.pk)  # visit 2019-01-10, signed 2019-03-10
    assert (p.days_visit_to_signed, p.days_signed_to_started) == (59, None)
    p = move(pipeline.world, p, "started", D(2019, 3, 13))
    assert p.days_signed_to_started == 3  # "三天具备开工条件"
