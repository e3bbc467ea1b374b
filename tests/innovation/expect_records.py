"""Access expectations of the innovation module's records pages and operations (merged by access.py).

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
from tests.support.access import EVERYONE, Check, page, scoped
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
API = {}


def build(w):
    pass
    build_page_records(w)
    build_import_jobs(w)
