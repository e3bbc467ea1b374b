"""The records' pages: the lists with the cockpit's filters, who sees what (an enterprise user:
its own, read-only), the export of exactly what a list shows, the forms that show the services'
errors and write nothing, removal with a reason, a certificate's page, the lists' query counts."""

import datetime

import pytest
from django.urls import NoReverseMatch, reverse

from gaoxin.core.models import AuditRecord
from gaoxin.innovation.models import (
    AnnualReport,
    Certification,
    CloudAdoption,
    Cooperation,
    Patent,
    Platform,
    SoftwareCopyright,
    Talent,
)
from tests.factories import EnterpriseFactory
from tests.support.spreadsheets import exported_sheet

pytestmark = pytest.mark.django_db
D = datetime.date
LISTS = ("certifications", "patents", "copyrights", "platforms", "talents", "cooperations", "cloud")


def _records(zone, enterprise, n):
    """One record of each kind for `enterprise`, numbered `n` (bulk rows: what the pages read)."""
    z = {"zone": zone, "enterprise": enterprise}
    return {
        "cert": Certification.objects.create(
            **z, kind="hightech", status="certified", number=f"GR20193600{n:04d}",
            field="electronics", issued_on=D(2019, 11, 28), expires_on=D(2022, 11, 27),
        ),
        "sme": Certification.objects.create(
            **z, kind="tech_sme", status="certified", year=2020, score=72
        ),
        "invention": Patent.objects.create(
            **z, number=f"20171060{n:04d}.0", kind="invention", title=f"发明{n}",
            applied_on=D(2017, 7, 1), granted_on=D(2019, 5, 1), status="granted",
        ),
        "utility": Patent.objects.create(
            **z, number=f"20182060{n:04d}.0", kind="utility", title=f"实用新型{n}",
            applied_on=D(2018, 7, 1), granted_on=D(2019, 1, 5), status="granted",
        ),
        "copyright": SoftwareCopyright.objects.create(
            **z, number=f"2019SR{n:07d}", title=f"软件{n}", registered_on=D(2019, 3, 1)
        ),
        "platform": Platform.objects.create(
            **z, name=f"省级工程技术研究中心{n}", kind="engineering_center", level="provincial",
            recognised_on=D(2019, 6, 1),
        ),
        "municipal": Platform.objects.create(
            **z, name=f"市级企业技术中心{n}", kind="enterprise_center", level="municipal",
            recognised_on=D(2019, 8, 1),
        ),
        "talent": Talent.objects.create(
            **z, name=f"张{n}", programme="双千计划", level="provincial", year=2019
        ),
        "cooperation": Cooperation.objects.create(
            **z, partner="南昌大学", project=f"合作{n}", amount="120.5", starts_on=D(2019, 4, 1)
        ),
        "cloud": CloudAdoption.objects.create(
            **z, level="basic", adopted_on=D(2019, 9, 1), provider="华为云"
        ),
    }  # fmt: skip


@pytest.fixture
def data(world):
    world.r1 = _records(world.zone_a, world.a1, 1)
    world.r2 = _records(world.zone_a, world.a2, 2)
    world.rb = _records(world.zone_b, world.b1, 3)
    return world


def _named(name) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def login(client, user):
    client.force_login(user)
    return client


def shown(response) -> list[str]:
    """The enterprise names in the list's table, one a row."""
    table = response.context["table"]
    return [r.record.enterprise.name for r in table.page.object_list]


class TestLists:
    @pytest.mark.parametrize("name", LISTS)
    @pytest.mark.parametrize("role", ["admin", "zone_admin", "leader", "staff", "province"])
    def test_officers_read_the_zone(self, data, client, role, name):
        r = login(client, data.users[role]).get(reverse(f"innovation:{name}"))
        assert r.status_code == 200
        assert set(shown(r)) == {data.a1.name, data.a2.name}

    @pytest.mark.parametrize("name", LISTS)
    def test_enterprise_sees_its_own_read_only(self, data, client, name):
        r = login(client, data.enterprise).get(reverse(f"innovation:{name}"))
        assert r.status_code == 200
        assert set(shown(r)) == {data.a1.name}
        assert r.context["create_url"] is None and r.context["import_url"] is None
        assert r.context["table"].links is None
        body = r.content.decode()
        assert 'id="tab-imports"' not in body and 'name="reason"' not in body
        assert 'id="tab-cockpit"' not in body and 'id="tab-pipeline"' not in body
        assert f'id="tab-{name}"' in body

    def test_tabs_by_role(self, data, client):
        """Officers who record see the import tab; a leader reads the cockpit but imports
        nothing."""
        url = reverse("innovation:patents")
        body = login(client, data.staff).get(url).content.decode()
        assert 'id="tab-imports"' in body and 'id="import-link"' in body
        body = login(client, data.leader).get(url).content.decode()
        assert 'id="tab-imports"' not in body and 'id="import-link"' not in body
        assert ('id="tab-cockpit"' in body) == _named("innovation:cockpit")

    @pytest.mark.parametrize("name", LISTS)
    def test_anonymous_to_login(self, data, client, name):
        assert client.get(reverse(f"innovation:{name}")).status_code == 302

    def test_cockpit_params(self, data, client):
        login(client, data.leader)
        url = reverse("innovation:patents")
        r = client.get(url, {"year": "2019", "kind": "invention", "status": "granted"})
        assert [p.record.number for p in r.context["table"].page.object_list] == sorted(
            [data.r1["invention"].number, data.r2["invention"].number], reverse=True
        ) or set(shown(r)) == {data.a1.name, data.a2.name}
        assert r.context["table"].paginator.count == 2
        r = client.get(
            reverse("innovation:platforms"), {"year": "2019", "level": "provincial_plus"}
        )
        assert {x.record.pk for x in r.context["table"].page.object_list} == {
            data.r1["platform"].pk,
            data.r2["platform"].pk,
        }
        r = client.get(reverse("innovation:platforms"), {"level": "municipal", "year": "2018"})
        assert r.context["table"].paginator.count == 0
        r = client.get(reverse("innovation:talents"), {"year": "2019", "level": "provincial"})
        assert r.context["table"].paginator.count == 2
        r = client.get(reverse("innovation:cloud"), {"year": "2019", "level": "basic"})
        assert r.context["table"].paginator.count == 2
        r = client.get(
            reverse("innovation:certifications"),
            {"year": "2019", "kind": "hightech", "status": "certified", "field": "electronics"},
        )
        assert {x.record.pk for x in r.context["table"].page.object_list} == {
            data.r1["cert"].pk,
            data.r2["cert"].pk,
        }
        # A yearly certificate without an issue date counts for its year.
        r = client.get(reverse("innovation:certifications"), {"year": "2020"})
        assert {x.record.pk for x in r.context["table"].page.object_list} == {
            data.r1["sme"].pk,
            data.r2["sme"].pk,
        }
        r = client.get(reverse("innovation:certifications"), {"enterprise": data.a2.pk, "q": "GR"})
        assert {x.record.pk for x in r.context["table"].page.object_list} == {data.r2["cert"].pk}
        r = client.get(reverse("innovation:patents"), {"q": "ZL" + data.r1["invention"].number})
        assert {x.record.pk for x in r.context["table"].page.object_list} == {
            data.r1["invention"].pk
        }

    @pytest.mark.parametrize(
        "query",
        [{"year": "abc"}, {"year": "99999"}, {"year": "1e30"}, {"year": "-1"},
         {"level": "galactic"}, {"enterprise": "99999999999999999999999"}, {"q": "x" * 500},
         {"page": "-3"}, {"sort": "nonsense"}, {"kind": "NaN"}],
    )  # fmt: skip
    def test_bad_filters_are_ignored_not_500(self, data, client, query):
        login(client, data.staff)
        for name in ("certifications", "patents", "platforms", "talents"):
            r = client.get(reverse(f"innovation:{name}"), query)
            assert r.status_code == 200, (name, query)

    def test_valid_certificates(self, data, client, time_machine):
        time_machine.move_to("2021-06-01 10:00")
        login(client, data.leader)
        r = client.get(reverse("innovation:certifications"), {"valid": "1"})
        assert {x.record.pk for x in r.context["table"].page.object_list} == {
            data.r1["cert"].pk,
            data.r2["cert"].pk,
        }
        time_machine.move_to("2023-01-01 10:00")
        login(client, data.leader)  # the session of 2021 has expired
        r = client.get(reverse("innovation:certifications"), {"valid": "1"})
        assert r.context["table"].paginator.count == 0

    def test_other_zone_enterprise_is_not_a_filter(self, data, client):
        login(client, data.staff)
        r = client.get(reverse("innovation:patents"), {"enterprise": data.b1.pk})
        assert r.status_code == 200
        assert r.context["filter"].form.errors["enterprise"]
        assert set(shown(r)) == {data.a1.name, data.a2.name}  # not applied, nothing of zone B

    @pytest.mark.parametrize("name", LISTS)
    def test_query_count_is_flat(self, data, client, name, django_assert_max_num_queries):
        login(client, data.staff)
        for n in range(4, 30):  # more rows, each of its own enterprise: no query a row
            _records(data.zone_a, EnterpriseFactory(zone=data.zone_a), n)
        with django_assert_max_num_queries(10):  # 28 rows of 28 enterprises
            r = client.get(reverse(f"innovation:{name}"))
        assert r.status_code == 200


class TestExport:
    def test_export_is_what_the_filter_shows(self, data, client):
        login(client, data.staff)
        query = {"year": "2019", "kind": "invention", "status": "granted"}
        listed = client.get(reverse("innovation:patents"), query)
        r = client.get(reverse("innovation:patents_export"), query)
        headers, rows = exported_sheet(r)
        assert headers == ("申请号", "专利名称", "专利类型", "权利人", "申请日", "授权公告日",
                           "法律状态", "来源")  # fmt: skip
        assert [row["申请号"] for row in rows] == [
            x.record.number for x in listed.context["table"].page.object_list
        ]
        assert {row["权利人"] for row in rows} == {data.a1.name, data.a2.name}
        assert rows[0]["专利类型"] == "发明" and rows[0]["法律状态"] == "有效(已授权)"
        assert rows[0]["申请日"] == datetime.datetime(2017, 7, 1)
        record = AuditRecord.objects.filter(action=AuditRecord.Action.EXPORT).latest("id")
        assert "导出 2 条专利" in record.message

    def test_enterprise_exports_its_own(self, data, client):
        login(client, data.enterprise)
        _headers, rows = exported_sheet(client.get(reverse("innovation:cooperations_export")))
        assert [(r["企业"], r["合同金额"]) for r in rows] == [(data.a1.name, 120.5)]

    @pytest.mark.parametrize("name", LISTS)
    def test_every_export_downloads(self, data, client, name):
        login(client, data.leader)
        headers, rows = exported_sheet(client.get(reverse(f"innovation:{name}_export")))
        assert "" not in headers and len(rows) == (4 if name in ("certifications", "patents",
                                                                  "platforms") else 2)  # fmt: skip


class TestCertificatePage:
    def test_facts_reports_and_timeline(self, data, client):
        cert = data.r1["cert"]
        AnnualReport.objects.create(
            zone=data.zone_a, certification=cert, year=2019, due_on=D(2020, 5, 31),
            filed_on=D(2020, 5, 10),
        )  # fmt: skip
        AnnualReport.objects.create(
            zone=data.zone_a, certification=cert, year=2020, due_on=D(2021, 5, 31)
        )
        login(client, data.enterprise)
        r = client.get(reverse("innovation:certification", args=[cert.pk]))
        assert r.status_code == 200
        body = r.content.decode()
        assert cert.number in body and "未填报" in body and 'id="timeline"' in body
        assert r.context["edit_url"] is None and r.context["delete_url"] is None
        other = data.r2["cert"]
        assert client.get(reverse("innovation:certification", args=[other.pk])).status_code == 404

    def test_other_zone_is_404(self, data, client):
        login(client, data.zone_admin)
        url = reverse("innovation:certification", args=[data.rb["cert"].pk])
        assert client.get(url).status_code == 404
        r = client.get(reverse("innovation:certification", args=[data.r2["cert"].pk]))
        assert r.context["edit_url"] and r.context["delete_url"]


class TestForms:
    def test_bad_patent_number_shows_the_message_and_writes_nothing(self, data, client):
        login(client, data.staff)
        before = Patent.objects.count(), AuditRecord.objects.count()
        r = client.post(
            reverse("innovation:patent_create"),
            {"enterprise": data.a1.pk, "number": "201710601862.4", "title": "一种显示模组",
             "applied_on": "2017-07-01", "status": "pending"},
        )  # fmt: skip
        assert r.status_code == 422
        errors = r.context["form"].errors["number"]
        assert len(errors) == 1 and "3" in errors[0]
        assert errors[0] in r.content.decode()
        assert (Patent.objects.count(), AuditRecord.objects.count()) == before

    def test_officer_records_a_patent_with_zl(self, data, client):
        login(client, data.staff)
        r = client.post(
            reverse("innovation:patent_create"),
            {"enterprise": data.a1.pk, "number": "ZL201710601862.3", "title": "一种显示模组",
             "applied_on": "2017-07-01", "status": "granted", "granted_on": "2019-05-01"},
        )  # fmt: skip
        assert r.status_code == 302 and r["Location"] == reverse("innovation:patents")
        patent = Patent.objects.get(number="201710601862.3")
        assert (patent.enterprise, patent.kind, patent.source) == (data.a1, "invention", "entered")
        assert AuditRecord.objects.for_object(patent).count() == 1

    @pytest.mark.parametrize(
        ("one", "model", "fields"),
        [
            ("certification", Certification, {"kind": "hightech", "status": "applied",
             "field": "electronics", "applied_on": "2022-06-01"}),
            ("copyright", SoftwareCopyright, {"number": "2019SR0999999", "title": "园区软件",
             "registered_on": "2019-03-01"}),
            ("platform", Platform, {"name": "省级重点实验室", "kind": "key_lab",
             "level": "provincial", "recognised_on": "2019-06-01"}),
            ("talent", Talent, {"name": "李四", "programme": "双千计划", "level": "provincial",
             "year": "2019"}),
            ("cooperation", Cooperation, {"partner": "江西师范大学", "project": "新材料",
             "amount": "1.2亿", "starts_on": "2019-04-01"}),
            ("cloud", CloudAdoption, {"level": "platform", "adopted_on": "2019-09-01",
             "provider": "阿里云"}),
        ],
    )  # fmt: skip
    def test_officer_records_each_kind(self, data, client, one, model, fields):
        login(client, data.zone_admin)
        before = model.objects.count()
        r = client.post(reverse(f"innovation:{one}_create"), {"enterprise": data.a2.pk, **fields})
        assert r.status_code == 302, r.context["form"].errors
        assert model.objects.count() == before + 1
        row = model.objects.latest("id")
        assert row.enterprise == data.a2 and row.zone == data.zone_a
        if model is Cooperation:
            assert row.amount == 12000

    @pytest.mark.parametrize("amount", ["1e30", "NaN", "-5", "9" * 41])
    def test_absurd_amount_is_refused(self, data, client, amount):
        login(client, data.staff)
        r = client.post(
            reverse("innovation:cooperation_create"),
            {"enterprise": data.a1.pk, "partner": "南昌大学", "project": "x", "amount": amount,
             "starts_on": "2019-04-01"},
        )  # fmt: skip
        assert r.status_code == 422 and r.context["form"].errors["amount"]
        assert Cooperation.objects.count() == 3

    def test_another_zones_enterprise_is_refused(self, data, client):
        login(client, data.staff)
        r = client.post(
            reverse("innovation:talent_create"),
            {"enterprise": data.b1.pk, "name": "王五", "programme": "x", "level": "national",
             "year": "2019"},
        )  # fmt: skip
        assert r.status_code == 422 and r.context["form"].errors["enterprise"]
        assert Talent.objects.filter(name="王五").count() == 0

    def test_enterprise_user_cannot_record(self, data, client):
        login(client, data.enterprise)
        url = reverse("innovation:platform_create")
        assert client.get(url).status_code == 404
        r = client.post(url, {"enterprise": data.a1.pk, "name": "x", "kind": "key_lab",
                              "level": "national", "recognised_on": "2019-01-01"})  # fmt: skip
        assert r.status_code == 404 and Platform.objects.count() == 6
        edit = reverse("innovation:platform_edit", args=[data.r1["platform"].pk])
        assert client.get(edit).status_code == 404

    def test_edit_and_stale_version(self, data, client):
        login(client, data.staff)
        cert = data.r1["cert"]
        url = reverse("innovation:certification_edit", args=[cert.pk])
        form = client.get(url).context["form"]
        assert "kind" not in form.fields and form.initial["number"] == cert.number
        post = {"status": "certified", "number": cert.number, "field": "materials",
                "issued_on": "2019-11-28", "version": cert.version}  # fmt: skip
        r = client.post(url, post)
        assert r.status_code == 302
        assert r["Location"] == reverse("innovation:certification", args=[cert.pk])
        cert.refresh_from_db()
        assert cert.field == "materials"
        r = client.post(url, {**post, "field": "energy"})  # the version it started from
        assert r.status_code == 409
        assert r.context["form"]["field"].value() == "energy"
        cert.refresh_from_db()
        assert cert.field == "materials"

    def test_edit_with_a_bad_number_changes_nothing(self, data, client):
        login(client, data.staff)
        patent = data.r1["invention"]
        url = reverse("innovation:patent_edit", args=[patent.pk])
        before = Patent.objects.filter(pk=patent.pk).values().get()
        r = client.post(url, {"number": "201710601862.4", "title": "改", "applied_on": "2017-07-01",
                              "status": "granted", "granted_on": "2019-05-01",
                              "version": patent.version})  # fmt: skip
        assert r.status_code == 422
        assert r.context["form"].errors["number"] == ["专利申请号校验位错误:应为 3"]
        assert Patent.objects.filter(pk=patent.pk).values().get() == before

    def test_edit_not_versioned(self, data, client):
        login(client, data.staff)
        talent = data.r1["talent"]
        url = reverse("innovation:talent_edit", args=[talent.pk])
        post = {"name": "张一", "programme": "双千计划", "level": "national", "year": "2020"}
        assert client.post(url, post).status_code == 302
        talent.refresh_from_db()
        assert (talent.name, talent.level, talent.year) == ("张一", "national", 2020)


class TestRemove:
    def test_admin_removes_with_a_reason(self, data, client):
        login(client, data.zone_admin)
        patent = data.r1["invention"]
        url = reverse("innovation:patent_delete", args=[patent.pk])
        r = client.post(url, {"reason": ""})
        assert r.status_code == 302 and Patent.objects.filter(pk=patent.pk).exists()
        r = client.post(url, {"reason": "重复录入"}, follow=True)
        assert not Patent.objects.filter(pk=patent.pk).exists()
        record = AuditRecord.objects.filter(action=AuditRecord.Action.DELETE).latest("id")
        assert record.message == "重复录入"

    def test_staff_and_enterprise_cannot_remove(self, data, client):
        patent = data.r1["invention"]
        url = reverse("innovation:patent_delete", args=[patent.pk])
        for user in (data.staff, data.enterprise, data.leader):
            login(client, user)
            assert client.post(url, {"reason": "x"}).status_code == 404
        assert Patent.objects.filter(pk=patent.pk).exists()
        assert client.get(url).status_code == 405


class TestAnnualReports:
    def test_officer_files_an_annual_report(self, data, client):
        cert = data.r1["cert"]
        url = reverse("innovation:certification_report", args=[cert.pk])
        login(client, data.staff)
        page = client.get(reverse("innovation:certification", args=[cert.pk]))
        assert 'id="report-form"' in page.content.decode()
        r = client.post(url, {"report-year": "2020", "report-filed_on": "2021-04-01"}, follow=True)
        assert [str(m) for m in r.context["messages"]] == ["已登记 2020 年度年报"]
        report = AnnualReport.objects.get(certification=cert)
        assert (report.year, report.filed_on, report.due_on) == (
            2020,
            D(2021, 4, 1),
            D(2021, 5, 31),
        )
        r = client.post(url, {"report-year": "2020", "report-filed_on": "2020-04-01"}, follow=True)
        assert [str(m) for m in r.context["messages"]] == [
            "填报日期:2020 年度的年报应在 2021 年填报"
        ]
        r = client.post(url, {"report-year": "abc", "report-filed_on": ""}, follow=True)
        assert len(list(r.context["messages"])) == 2
        assert AnnualReport.objects.filter(certification=cert).count() == 1

    def test_enterprise_cannot_file(self, data, client):
        cert = data.r1["cert"]
        login(client, data.enterprise)
        url = reverse("innovation:certification_report", args=[cert.pk])
        r = client.post(url, {"report-year": "2020", "report-filed_on": "2021-04-01"})
        assert r.status_code == 404 and not AnnualReport.objects.exists()
