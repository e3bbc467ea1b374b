"""The matter services' rules: who may do what, the transitions, the bad paths (each leaving the
matter and the audit trail unchanged)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.matters import catalogue, services
from gaoxin.matters.models import Kind, Matter, Status
from tests.factories import DepartmentFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    catalogue.ensure_categories(world.zone_a)
    world.dept_b = DepartmentFactory(zone=world.zone_a, name="企业服务局")
    world.staff_b = member("zone_staff", zone=world.zone_a, department=world.dept_b)
    world.a2_user = member("enterprise_user", zone=world.zone_a, enterprise=world.a2)
    world.help = catalogue.standard(world.zone_a, Kind.HELP, "recruitment")
    world.help.department = world.dept_a
    world.help.save()
    return world


def raise_help(w, **kw):
    return services.create_matter(
        w.enterprise, None, kind="help", category=w.help, title="招工难", **kw
    )


def unchanged(matter):
    """A snapshot of what a refused action must not change."""
    matter.refresh_from_db()
    return (matter.version, matter.status, AuditRecord.objects.for_object(matter).count())


def test_scopes(setup):
    w = setup
    request = raise_help(w)
    problem = services.create_matter(
        w.staff, w.zone_a, kind="scheduling", title="用地指标未落实", enterprise=w.a1,
        category=catalogue.standard(w.zone_a, Kind.SCHEDULING, "land"),
    )  # fmt: skip
    assert problem.visible_to_enterprise is False and problem.department == w.dept_a
    seen = {u: set(Matter.objects.restrict(getattr(w, u)).values_list("pk", flat=True))
            for u in ("admin", "province", "zone_admin", "leader", "staff", "enterprise",
                      "a2_user")}  # fmt: skip
    both = {request.pk, problem.pk}
    assert seen == {"admin": both, "province": both, "zone_admin": both, "leader": both,
                    "staff": both, "enterprise": {request.pk}, "a2_user": set()}  # fmt: skip


def test_staff_change_their_department_and_what_they_own_or_help_with(setup):
    w = setup
    matter = services.create_matter(
        w.zone_admin, w.zone_a, kind="visit", title="厂房漏水", enterprise=w.a2,
        department=w.dept_a,
    )  # fmt: skip
    before = unchanged(matter)
    with pytest.raises(Forbidden):
        services.start(w.staff_b, matter, version=matter.version)
    assert unchanged(matter) == before
    matter = services.assign(
        w.staff, matter, version=matter.version, department=w.dept_a, officer=w.staff,
        helpers=[w.staff_b],
    )  # fmt: skip
    assert matter.status == Status.ASSIGNED
    matter = services.start(w.staff_b, matter, version=matter.version)  # a helper acts on it
    assert matter.status == Status.IN_PROGRESS
    with pytest.raises(Forbidden):
        services.start(w.leader, matter, version=matter.version)
    services.comment(w.leader, matter, text="请加快办理")  # leaders press and comment


def test_transitions_and_their_reasons(setup):
    w = setup
    matter = raise_help(w)
    with pytest.raises(ValidationError) as err:
        services.transition(w.staff, matter, "closed", version=matter.version)
    assert "不能变为" in str(err.value)
    with pytest.raises(ValidationError):
        services.resolve(w.staff, matter, version=matter.version, resolution="  ")
    with pytest.raises(Forbidden):  # the enterprise cannot resolve its own request
        services.resolve(w.enterprise, matter, version=matter.version, resolution="好了")
    matter = services.resolve(w.staff, matter, version=matter.version, resolution="已推荐")
    with pytest.raises(ValidationError):
        services.rate(w.enterprise, matter, rating=1)  # a bad rating needs a reason
    with pytest.raises(ValidationError):
        services.rate(w.enterprise, matter, rating=6)
    with pytest.raises(ValidationError):  # reopening needs a reason
        services.transition(w.enterprise, matter, "reopened", version=matter.version)
    matter = services.transition(
        w.enterprise, matter, "reopened", version=matter.version, text="仍缺普工 20 人"
    )
    assert matter.status == Status.REOPENED and matter.resolved_at is None
    matter = services.transition(
        w.enterprise, matter, "withdrawn", version=matter.version, text="已自行解决"
    )
    assert matter.status == Status.WITHDRAWN
    with pytest.raises(ValidationError):
        services.comment(w.enterprise, matter, text="还在吗")


def test_enterprise_users_are_kept_to_their_own(setup):
    w = setup
    matter = raise_help(w)
    with pytest.raises(Matter.DoesNotExist):
        services.comment(w.a2_user, matter, text="看看")
    with pytest.raises(Forbidden):
        services.comment(w.enterprise, matter, text="内部", internal=True)
    # An enterprise user cannot raise for another enterprise or choose the owner.
    other = services.create_matter(
        w.enterprise, w.zone_b, kind="help", category=w.help, title="资金", enterprise=w.b1,
        department=w.dept_b, due_on=datetime.date(2099, 1, 1),
    )  # fmt: skip
    assert other.enterprise == w.a1 and other.zone == w.zone_a
    assert other.department == w.dept_a and other.due_on != datetime.date(2099, 1, 1)


def test_due_change_needs_a_reason_and_a_future_date(setup):
    w = setup
    matter = raise_help(w)
    before = unchanged(matter)
    for due, reason in ((matter.due_on + datetime.timedelta(days=2), ""),
                        (datetime.date(2000, 1, 1), "延期"), (matter.due_on, "延期")):  # fmt: skip
        with pytest.raises(ValidationError):
            services.change_due(w.staff, matter, version=matter.version, due_on=due, reason=reason)
    assert unchanged(matter) == before


def test_manual_escalation_needs_a_reason(setup):
    w = setup
    matter = raise_help(w)
    with pytest.raises(ValidationError):
        services.escalate(w.staff, matter, reason="")
    matter = services.escalate(w.staff, matter, reason="企业多次反映")
    assert matter.escalated_at is not None and matter.priority == "high"
    with pytest.raises(ValidationError):
        services.escalate(w.staff, matter, reason="再次")


def test_numbers_run_per_kind_and_year(setup):
    w = setup
    first, second = raise_help(w), raise_help(w)
    assert first.number[:8] == second.number[:8] and first.number.startswith("BF-")
    assert int(second.number[-4:]) == int(first.number[-4:]) + 1


def test_an_attachment_is_stored_under_a_random_name_and_keeps_a_clean_one(
    setup, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    w = setup
    matter = raise_help(w)
    pdf = SimpleUploadedFile("..\\..\\报价单<1>.pdf", b"%PDF-1.4\n" + b"0" * 64)
    event = services.comment(w.enterprise, matter, text="附报价单", attachment=pdf)
    assert event.attachment_name == "报价单1.pdf"
    assert event.attachment.name.startswith(f"matters/{w.zone_a.pk}/")
    assert "报价单" not in event.attachment.name


def test_the_daily_job_counts_days_overdue_from_the_day_it_runs_for(setup):
    from gaoxin.matters import notify
    from gaoxin.matters.models import MatterEvent

    w = setup
    matter = raise_help(w)
    day = matter.due_on + datetime.timedelta(days=10)
    assert notify.run_daily(day)["escalated"] == 1
    event = MatterEvent.objects.get(matter=matter, type="escalate")
    assert "已逾期 10 天" in event.text


def test_meeting_and_working_group_must_be_of_the_zone(setup):
    from gaoxin.matters.models import Meeting, WorkingGroup

    w = setup
    group_b = WorkingGroup.objects.create(zone=w.zone_b, name="乙区工作组", leader_name="张三")
    meeting_b = Meeting.objects.create(
        zone=w.zone_b, title="乙区调度会", held_on=datetime.date(2026, 11, 2), chair="李四"
    )
    for field, value in (("working_group", group_b), ("meeting", meeting_b)):
        with pytest.raises(ValidationError) as err:
            services.create_matter(
                w.zone_admin, w.zone_a, kind="visit", title="走访", enterprise=w.a2,
                **{field: value},
            )  # fmt: skip
        assert field in err.value.message_dict
    assert not Matter.objects.exists()
