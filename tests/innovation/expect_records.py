"""Access expectations of the innovation module's records pages and operations (merged by
access.py).

Pages (helper "pages"): the world's records of tests/innovation/expect_records.py's
`build_page_records`: one of each kind for a1 (zone A: `rec_<kind>_a`) and for c1 (zone C:
`rec_<kind>_c`). Lists and exports are everyone's (an enterprise user: its own records, read-only);
recording is the officers' (admin, zone admin, staff), removing the admins'; a record of another
zone, or one the role may not change, is 404. In depth: tests/innovation/test_pages_records.py.
"""

import datetime

from gaoxin.innovation.models import (
    Certification,
    CloudAdoption,
    Cooperation,
    Patent,
    Platform,
    SoftwareCopyright,
    Talent,
)
from gaoxin.innovation.views.imports import TARGETS
from tests.support.access import EVERYONE, Check, api, api_scoped, page, scoped
from tests.support.imports import finished_job

D = datetime.date
OFFICERS = {"admin", "zone_admin", "staff"}
ADMINS = {"admin", "zone_admin"}
# The list key and the singular of its pages.
RECORD_PAGES = (
    ("certifications", "certification"),
    ("patents", "patent"),
    ("copyrights", "copyright"),
    ("platforms", "platform"),
    ("talents", "talent"),
    ("cooperations", "cooperation"),
    ("cloud", "cloud"),
)


def build_page_records(w):
    """One record of each kind for a1 (zone A) and for c1 (zone C), as rows (what pages read)."""
    for z, zone, enterprise in (("a", w.zone_a, w.a1), ("c", w.zone_c, w.c1)):
        e = {"zone": zone, "enterprise": enterprise}
        w.add(
            f"rec_certification_{z}",
            Certification.objects.create(
                **e,
                kind="hightech",
                status="certified",
                number=f"GR2019360009{ord(z)}",
                issued_on=D(2019, 11, 28),
                expires_on=D(2022, 11, 27),
                field="electronics",
            ),
        )
        w.add(
            f"rec_patent_{z}",
            Patent.objects.create(
                **e,
                number="201710601862.3",
                kind="invention",
                title="一种显示模组",
                applied_on=D(2017, 7, 1),
                status="pending",
            ),
        )
        w.add(
            f"rec_copyright_{z}",
            SoftwareCopyright.objects.create(
                **e, number="2019SR0123456", title="园区管理软件", registered_on=D(2019, 3, 1)
            ),
        )
        w.add(
            f"rec_platform_{z}",
            Platform.objects.create(
                **e,
                name="工程技术研究中心",
                kind="engineering_center",
                level="provincial",
                recognised_on=D(2019, 6, 1),
            ),
        )
        w.add(
            f"rec_talent_{z}",
            Talent.objects.create(
                **e, name="张三", programme="双千计划", level="provincial", year=2019
            ),
        )
        w.add(
            f"rec_cooperation_{z}",
            Cooperation.objects.create(
                **e, partner="南昌大学", project="柔性显示", amount=100, starts_on=D(2019, 4, 1)
            ),
        )
        w.add(f"rec_cloud_{z}", CloudAdoption.objects.create(
            **e, level="basic", adopted_on=D(2019, 9, 1), provider="华为云"))  # fmt: skip


def _in_zone_a(one, roles):
    """role → {its zone A record} for `roles`: pages work in the zone one works in (zone A, the
    platform admin's too), so zone C's record is 404 for everyone."""
    return {r: {f"rec_{one}_a"} for r in roles}


def _pair(one):
    return (f"rec_{one}_a", f"rec_{one}_c")


def _record_pages() -> dict:
    pages = {}
    for key, one in RECORD_PAGES:
        pages[f"innovation:{key}"] = Check(page(EVERYONE), why="an enterprise user: its own")
        pages[f"innovation:{key}_export"] = Check(page(EVERYONE), why="what the list shows")
        pages[f"innovation:{one}_create"] = Check(page(OFFICERS))
        pages[f"innovation:{one}_edit"] = Check(scoped(_in_zone_a(one, OFFICERS), _pair(one)))
        pages[f"innovation:{one}_delete"] = Check(
            scoped(_in_zone_a(one, ADMINS), _pair(one), ok=302),
            method="post",
            data={"reason": "录入错误"},
        )
    pages["innovation:certification_report"] = Check(
        scoped(_in_zone_a("certification", OFFICERS), _pair("certification"), ok=302),
        method="post",
        data={"report-year": "2020", "report-filed_on": "2021-04-01"},
    )
    pages["innovation:certification"] = Check(
        scoped(_in_zone_a("certification", EVERYONE), _pair("certification")),
        why="a1's certificate: its enterprise user too",
    )
    return pages


JOBS = ("job:staff", "job:admin")  # an import job each started; only its starter sees it
OWN_JOB = {"admin": {"job:admin"}, "staff": {"job:staff"}}


def build_import_jobs(w):
    w.innovation_jobs = {
        key: {
            "job:staff": finished_job(target, w.staff, w.zone_a),
            "job:admin": finished_job(target, w.admin, w.zone_a),
        }
        for key, target in TARGETS.items()
    }


def _import_pages() -> dict:
    pages = {"innovation:imports": Check(page(OFFICERS))}
    for key in TARGETS:

        def job(ctx, key=key):
            return [ctx.w.innovation_jobs[key][ctx.target]]

        ns = f"innovation:{key}_import"
        pages[f"{ns}:import"] = Check(page(OFFICERS))
        pages[f"{ns}:import_template"] = Check(page(OFFICERS))
        for name in ("import_job", "import_job_status", "import_errors"):
            pages[f"{ns}:{name}"] = Check(scoped(OWN_JOB, JOBS), args=job)
    return pages


PAGES = {**_record_pages(), **_import_pages()}

# --- the API (helper "records"): the same world records, `rec_<kind>_a` and `rec_<kind>_c` -----
# Everyone reads (an enterprise user its own, a1's); officers add and change, admins delete;
# another zone's record is 404, a visible one the role may not change 403. In depth:
# tests/innovation/test_api_records.py and test_services_*.py.
V1 = "/api/v1/innovation"
ZONE_A = {"zone": "ZA"}  # roles that see several zones name one
# What a new record of each kind holds (for a2, so nothing clashes with the world's).
NEW_RECORDS = {
    "certifications": {"kind": "hightech", "status": "cultivating"},
    "patents": {"number": "201720601862.9", "title": "一种支架", "applied_on": "2017-08-01",
                "status": "pending"},
    "copyrights": {"number": "2020SR0000001", "title": "测试软件", "registered_on": "2020-01-02"},
    "platforms": {"name": "企业技术中心", "kind": "enterprise_center", "level": "municipal",
                  "recognised_on": "2020-05-06"},
    "talents": {"name": "李四", "programme": "百人计划", "level": "national", "year": 2020},
    "cooperations": {"partner": "江西师范大学", "project": "新材料", "amount_wan": "30",
                     "starts_on": "2020-01-01"},
    "cloud": {"level": "deep", "adopted_on": "2020-03-01", "provider": "天翼云"},
}  # fmt: skip
CHANGES = {
    "certifications": {"note": "复核"},
    "patents": {"title": "一种显示模组(改)"},
    "copyrights": {"title": "园区管理软件 V2"},
    "platforms": {"level": "national"},
    "talents": {"note": "复核"},
    "cooperations": {"note": "复核"},
    "cloud": {"provider": "阿里云"},
}
VERSIONED = {"certifications", "patents", "platforms"}


def _everyone_reads(one):
    """role → the records it reads: its zone A one (a1's, so the enterprise user too); the
    platform admin also zone C's."""
    scope = {r: {f"rec_{one}_a"} for r in EVERYONE}
    scope["admin"] = set(_pair(one))
    return scope


def _only(one, roles):
    return {r: (s if r in roles else set()) for r, s in _everyone_reads(one).items()}


def _new(key):
    def data(ctx):
        return {"enterprise": ctx.w.a2.pk, **NEW_RECORDS[key]}

    return data


def _change(key):
    def data(ctx):
        version = {"version": ctx.obj.version} if key in VERSIONED else {}
        return {**CHANGES[key], **version}

    return data


def _record_api() -> dict:
    checks = {}
    for key, one in RECORD_PAGES:
        item = f"{V1}/{key}/{{{one}_id}}"
        reads, targets = _everyone_reads(one), _pair(one)
        checks[("get", f"{V1}/{key}")] = Check(api(EVERYONE), why="an enterprise user: its own")
        checks[("post", f"{V1}/{key}")] = Check(
            api(OFFICERS, ok=201), method="post", data=_new(key), query=ZONE_A
        )
        checks[("get", item)] = Check(api_scoped(reads, targets))
        checks[("patch", item)] = Check(
            api_scoped(_only(one, OFFICERS), targets, visible=reads),
            method="patch",
            data=_change(key),
        )
        checks[("delete", item)] = Check(
            api_scoped(_only(one, ADMINS), targets, ok=204, visible=reads),
            method="delete",
            query={"reason": "录入错误"},
        )
    checks[("post", f"{V1}/certifications/{{certification_id}}/reports")] = Check(
        api_scoped(
            _only("certification", OFFICERS),
            _pair("certification"),
            ok=201,
            visible=_everyone_reads("certification"),
        ),
        method="post",
        data={"year": 2020, "filed_on": "2021-05-20"},
    )
    return checks


API = _record_api()


def build(w):
    build_page_records(w)
    build_import_jobs(w)
