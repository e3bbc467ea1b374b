"""The demo's investment pipeline: calibrated to DOMAIN.md's published figures, every history
valid under the stage rules, a living pipeline up to 2026, commitments with some behind. (That
the figures hold for another seed is checked on the other seed's build, test_province.py.)"""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.db import transaction

from gaoxin.core.models import AuditRecord, Membership, Tag, Zone
from gaoxin.investment import services, stages
from gaoxin.investment.delivery import delivery, is_overdue, with_overdue
from gaoxin.investment.demo import figures
from gaoxin.investment.demo.calibration import (
    EXPECTED,
    CalibrationError,
    check_calibration,
    measured,
)
from gaoxin.investment.demo.catalogue import CHANNELS
from gaoxin.investment.demo.specs import AS_OF
from gaoxin.investment.demo.step import investment_lines
from gaoxin.investment.models import (
    MILESTONE_FIELD,
    ORDER,
    PIPELINE,
    Campaign,
    Commitment,
    DepartmentTarget,
    FundsEntry,
    Project,
    Stage,
    StageEvent,
)
from gaoxin.investment.summary import campaign_progress, headline, parse_period

pytestmark = pytest.mark.django_db
D = datetime.date
# The windows of the published figures: no non-industrial milestone may fall in them.
WINDOWS = ((D(2019, 1, 1), D(2019, 12, 31)), (D(2020, 1, 1), D(2020, 3, 31)))


def main():
    return Zone.objects.get(code="GJ")


def projects(zone=None):
    return Project.objects.filter(zone=zone or main(), is_deleted=False)


@pytest.mark.usefixtures("demo")
class TestInvestmentDemo:
    @pytest.mark.parametrize("category", [None, "industrial"])
    def test_published_figures_hold_exactly(self, category):
        zone = main()
        qs = projects(zone)
        if category:
            qs = qs.filter(category=category)
        thresholds = services.thresholds_for(zone)
        assert thresholds.class_5020 == Decimal("500000")  # national zone, the default
        y2019 = headline(qs, parse_period("2019", today=AS_OF), thresholds)
        assert y2019["signed"]["count"] == 52
        assert y2019["started"]["count"] == 41
        assert y2019["production"]["count"] == 37
        q1 = headline(
            qs, parse_period(None, start=D(2020, 1, 1), end=D(2020, 3, 31), today=AS_OF), thresholds
        )
        assert q1["signed"]["count"] == 8
        assert q1["signed"]["investment_wan"] == Decimal("1198000")
        assert q1["class_5020"] == 2
        assert q1["production"]["count"] == 13
        assert parse_period("2020Q1", today=AS_OF).end == D(2020, 3, 31)

    def test_the_figures_constants_agree_with_the_domain_table(self):
        assert {
            "signed_2019": 52,
            "started_2019": 41,
            "production_2019": 37,
            "signed_2020q1": 8,
            "signed_2020q1_investment": Decimal("1198000"),
            "class_5020_2020q1": 2,
            "production_2020q1": 13,
        } == EXPECTED
        assert sum(figures.PROJECTS_SIGNED_2020Q1_AMOUNTS) == Decimal("1198000")
        assert measured(main()) == {"all": EXPECTED, "industrial": EXPECTED}

    def test_non_industrial_projects_stay_out_of_the_published_windows(self):
        others = list(projects().exclude(category="industrial"))
        assert len(others) == figures.NON_INDUSTRIAL_PROJECTS and 10 <= len(others) <= 15
        assert {p.category for p in others} == {"services", "agriculture", "infrastructure"}
        for p in others:
            for on in (p.signed_on, p.started_on, p.production_on):
                assert not any(lo <= on <= hi for lo, hi in WINDOWS if on), (p.name, on)
        assert any(p.production_on and p.production_on.year == 2018 for p in others)

    def test_every_history_replays_through_the_stage_rules(self):
        officers = {
            (m.zone_id, m.user.username)
            for m in Membership.objects.select_related("user").filter(
                role__in=["zone_staff", "zone_admin"]
            )
        }
        events = defaultdict(list)
        for event in StageEvent.objects.order_by("on", "id"):
            events[event.project_id].append(event)
        all_projects = list(Project.objects.all())
        assert len(all_projects) > 200
        for project in all_projects:
            history = events[project.pk]
            assert history[0].kind == "enter" and history[0].from_stage == ""
            assert [e.on for e in history] == sorted(e.on for e in history)
            assert history[-1].on <= AS_OF
            replay = Project(zone_id=project.zone_id)
            first = history[0]
            made = [stages.enter(replay, first.stage, on=first.on, note=first.note, today=AS_OF)]
            for event in history[1:]:
                made.append(
                    stages.apply_move(
                        replay, event.stage, on=event.on, note=event.note, today=AS_OF
                    )
                )
            assert [(e.kind, e.from_stage, e.stage) for e in made] == [
                (e.kind, e.from_stage, e.stage) for e in history
            ], project.name
            assert (replay.stage, replay.stage_on, replay.halted_from) == (
                project.stage,
                project.stage_on,
                project.halted_from,
            ), project.name
            for stage in PIPELINE:
                field = MILESTONE_FIELD[stage]
                assert getattr(replay, field) == getattr(project, field), (project.name, field)
                # the milestone is the last event reaching the stage, unless a later move went
                # back before it
                reaches = [
                    i for i, e in enumerate(history) if e.stage == stage and e.kind != "back"
                ]
                if not reaches:
                    continue
                last = reaches[-1]
                cleared = any(
                    e.kind == "back" and ORDER[e.stage] < ORDER[stage] for e in history[last + 1 :]
                )
                expected = None if cleared else history[last].on
                assert getattr(project, field) == expected, (project.name, field)
            for event in history:
                assert event.zone_id == project.zone_id
                assert (project.zone_id, event.actor_name) in officers, event.actor_name
                assert event.actor_id == project.officer_id
                if event.kind in ("back", "hold", "drop"):
                    assert len(event.note) >= 6, (project.name, event.kind)

    def test_every_project_passes_the_services_validation_and_is_dressed(self):
        names = Counter()
        for project in Project.objects.select_related("channel", "chain", "department"):
            services.validate(project)
            names[(project.zone_id, project.name)] += 1
            assert project.name.endswith("项目") and project.investor_name
            assert project.channel.category == Tag.Category.SOURCE_CHANNEL
            assert project.chain is None or project.chain.category == "industry_chain"
            assert project.department.zone_id == project.zone_id
            assert bool(project.origin_province_id) != bool(project.origin_country)
            assert project.planned_investment > 0 and project.industry_id
            assert project.version == 1
        assert max(names.values()) == 1  # names unique within a zone
        for zone in Zone.objects.all():
            channels = Tag.objects.filter(zone=zone, category="source_channel")
            assert sorted(channels.values_list("name", flat=True)) == sorted(CHANNELS)
        origins = Counter(projects().values_list("origin_province_id", flat=True))
        assert origins["440000"] > origins["310000"] > 0 and origins["330000"] > 0
        assert projects().exclude(origin_country="").count() >= 5
        departments = Counter(projects().values_list("department__name", flat=True))
        assert set(departments) == {"招商局", "经济发展局", "科技创新局", "企业服务局"}
        assert departments.most_common(1)[0][0] == "招商局"

    def test_a_living_pipeline_up_to_2026(self):
        qs = projects()
        for stage in (Stage.LEAD, Stage.VISIT, Stage.NEGOTIATION):
            assert qs.filter(stage=stage, stage_on__year=2026).count() >= 3, stage
        assert qs.filter(signed_on__year__gte=2024).count() >= 15
        assert qs.filter(started_on__year__gte=2024).count() >= 8
        assert qs.filter(signed_on__year=2026).count() >= 4
        assert qs.filter(stage=Stage.ON_HOLD).count() >= 2
        assert qs.filter(stage=Stage.DROPPED).count() >= 4
        events = StageEvent.objects.filter(zone=main())
        assert events.filter(kind="back").count() >= 4
        assert events.filter(kind="resume").count() >= 1
        assert events.filter(on__year=2026).count() >= 20
        assert not events.filter(on__gt=AS_OF).exists()

    def test_commitments_and_funds(self):
        signed = Project.objects.filter(signed_on__isnull=False)
        assert Commitment.objects.count() == signed.count() > 150
        for commitment in Commitment.objects.select_related("project"):
            services.validate_commitment(commitment)
            project = commitment.project
            assert commitment.investment == project.planned_investment
            assert commitment.start_by > project.signed_on
            assert commitment.jobs and commitment.annual_output and commitment.annual_tax
        for entry in FundsEntry.objects.select_related("project"):
            assert entry.project.signed_on <= entry.on <= AS_OF
            assert entry.amount > 0 and entry.actor_name
            expected = "foreign" if entry.project.origin_country else "out_of_province"
            assert entry.source == expected
        assert FundsEntry.objects.count() > 200

    def test_some_projects_are_behind_on_their_commitments(self):
        qs = projects()
        overdue = list(with_overdue(qs, AS_OF))
        assert len(overdue) == figures.OVERDUE_PROJECTS and 5 <= len(overdue) <= 10
        # deadlines not yet due lie after DEADLINES_NOT_BEFORE: the same projects months later
        later = figures.DEADLINES_NOT_BEFORE - datetime.timedelta(days=1)
        assert {p.pk for p in with_overdue(qs, later)} == {p.pk for p in overdue}
        kinds = Counter()
        for project in overdue:
            items = delivery(project, project.commitment, list(project.funds.all()), AS_OF)
            assert is_overdue(items), project.name
            kinds.update(i["key"] for i in items if i["status"] in ("overdue", "short"))
        assert kinds["start"] >= 2 and kinds["production"] >= 2 and kinds["funds"] >= 2
        on_time = with_overdue(qs.filter(signed_on__isnull=False), AS_OF, overdue=False)
        assert on_time.count() > 150

    def test_campaigns_and_department_targets(self):
        zone = main()
        campaigns = list(Campaign.objects.filter(zone=zone).order_by("start"))
        assert [(c.start, c.end) for c in campaigns] == [
            (D(2020, 3, 1), D(2020, 6, 8)),
            (D(2026, 9, 1), D(2026, 12, 9)),
        ]
        past, current = campaigns
        assert (past.end - past.start).days + 1 == (current.end - current.start).days + 1 == 100
        assert current.start <= AS_OF <= current.end
        thresholds = services.thresholds_for(zone)
        for campaign in campaigns:
            assert campaign.target_projects and campaign.target_investment
            progress = campaign_progress(projects(zone), campaign, thresholds, AS_OF)
            assert progress["figures"]["signed"]["count"] >= 4
        years = set(DepartmentTarget.objects.filter(zone=zone).values_list("year", flat=True))
        assert {2019, 2020, AS_OF.year} <= years
        target_2019 = DepartmentTarget.objects.filter(zone=zone, year=2019)
        assert sum(t.target_projects for t in target_2019) >= figures.PROJECTS_SIGNED_2019
        assert target_2019.get(department__name="招商局").target_projects == 34

    def test_production_projects_link_to_registry_enterprises(self):
        linked = (
            projects()
            .filter(investor_enterprise__isnull=False)
            .select_related("investor_enterprise")
        )
        assert linked.count() >= 30
        for project in linked:
            enterprise = project.investor_enterprise
            assert enterprise.zone_id == project.zone_id
            assert project.industry_id == enterprise.industry_id
            assert enterprise.established_on <= (project.production_on or AS_OF)
        own = Membership.objects.get(user__username="enterprise").enterprise
        mine = list(projects().filter(investor_enterprise=own).order_by("signed_on"))
        assert len(mine) == 2 and all(p.investor_name == own.name for p in mine)
        assert mine[0].production_on.year == 2019 and mine[1].stage == Stage.STARTED

    def test_audit_records_and_other_zones(self):
        created = AuditRecord.objects.filter(action="create", content_type__model="project")
        assert created.count() == Project.objects.count()
        assert set(created.values_list("object_id", flat=True)) == {
            str(pk) for pk in Project.objects.values_list("pk", flat=True)
        }
        assert all(r.after["name"] for r in created[:20])
        commitments = AuditRecord.objects.filter(content_type__model="commitment", action="create")
        assert commitments.count() == Commitment.objects.count()
        for code in ("LH", "XJ"):
            zone = Zone.objects.get(code=code)
            qs = projects(zone)
            assert 10 <= qs.count() <= 30
            assert qs.filter(signed_on__isnull=False).exists()
            assert DepartmentTarget.objects.filter(zone=zone, year=AS_OF.year).exists()

    def test_the_build_summary(self, demo):
        summary = demo.summaries["investment"]
        by_code = {s.zone.code: s for s in summary.zones}
        gj = by_code["GJ"]
        assert gj.projects == projects().count() and gj.overdue == figures.OVERDUE_PROJECTS
        assert gj.campaigns == 2 and sum(gj.stages.values()) == gj.projects
        assert gj.events == StageEvent.objects.filter(zone=main()).count()
        lines = investment_lines(summary.zones)
        assert lines == summary.lines()  # what `gaoxin demo` prints
        assert len(lines) == 3
        assert lines[0].startswith(f"  赣江高新技术产业开发区:招商项目 {gj.projects} 个(线索")
        assert f"未按承诺推进 {figures.OVERDUE_PROJECTS} 个" in lines[0]
        assert lines[0].endswith("招商活动 2 个") and "招商活动" not in lines[1]

    def test_the_calibration_check_notices_a_broken_figure(self):
        zone = main()
        with transaction.atomic():
            projects(zone).filter(signed_on__year=2019).first().delete()
            with pytest.raises(CalibrationError, match="signed_2019"):
                check_calibration(zone, figures.OVERDUE_PROJECTS)
            transaction.set_rollback(True)
        with pytest.raises(CalibrationError, match="overdue"):
            check_calibration(zone, figures.OVERDUE_PROJECTS + 1)
        check_calibration(zone, figures.OVERDUE_PROJECTS)
