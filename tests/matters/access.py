"""The matters module's URLs and API operations × every role (tests/test_access_matrix.py runs
them).

The matters of tests/support/matters.py: m_a1, a help request of a1 (dept_a); m_a2, a visit
follow-up of a2 owned by another department; m_sched, an internal scheduling problem about a1;
m_b and m_c in zones B and C; plus m_done, a1's resolved help request (to rate). The rest, one in
zone A and one in zone C each: an attachment on the timeline, an agency case (代办) with its
checklist item and appointment, a scheduling meeting, a working group, an award, a loan, a job
fair with an offer, a resumption row and a category. A refused write changes nothing: neither
the object, nor its timeline, nor the audit trail.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from gaoxin.core.models import Department
from gaoxin.matters import agency, assistance, catalogue, categories, meetings, services
from gaoxin.matters.models import Kind, Matter
from tests.factories import DepartmentFactory
from tests.support.access import (
    EVERYONE,
    ROLES,
    Check,
    api,
    api_scoped,
    listed_items,
    page,
    scoped,
)
from tests.support.matters import MATTERS, build_matters

D = datetime.date
READERS = EVERYONE - {"enterprise"}
OFFICERS = {"admin", "zone_admin", "staff"}
ADMINS = {"admin", "zone_admin"}

MATTER_VIEW = {
    "admin": set(MATTERS),
    "province": {"m_a1", "m_a2", "m_sched", "m_b"},
    "zone_admin": {"m_a1", "m_a2", "m_sched"},
    "leader": {"m_a1", "m_a2", "m_sched"},
    "staff": {"m_a1", "m_a2", "m_sched"},
    "enterprise": {"m_a1"},
}
# Comments: officers who may change it, leaders of the zone, the enterprise on its own.
MATTER_COMMENT = {**MATTER_VIEW, "province": set(), "staff": {"m_a1", "m_sched"}}
# Officers' changes (edit, assign, due, status, escalate): no leaders, no enterprise.
MATTER_CHANGE = {**MATTER_COMMENT, "leader": set(), "enterprise": set()}

PAIR = ("a", "c")  # zone A's object and zone C's


def pair(kind):
    return tuple(f"{kind}_{z}" for z in PAIR)


def zone_a(kind, roles):
    """role → {kind_a} for `roles`; the platform admin both (it reaches zone C too)."""
    scope = {r: {f"{kind}_a"} for r in roles}
    if "admin" in roles:
        scope["admin"] = set(pair(kind))
    return scope


def in_zone_a(kind, roles):
    """role → {kind_a} for `roles`: pages show the zone one works in (zone A for the platform
    admin too)."""
    return {r: {f"{kind}_a"} for r in roles}


def later(days=30):
    return D.today() + datetime.timedelta(days=days)


def next_weekday_at_ten():
    day = later(7)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(10, 0))


def build(w):
    for key, matter in build_matters(w).items():
        w.add(key, matter)
    admin = w.admin
    DepartmentFactory(zone=w.zone_b, name="企业服务局")  # every zone's matters can be assigned
    done = services.create_matter(
        admin, w.zone_a, kind="help", title="用电报装", enterprise=w.a1, department=w.dept_a,
        category=catalogue.standard(w.zone_a, "help", "recruitment"),
    )  # fmt: skip
    done = services.start(admin, done, version=done.version)
    w.add("m_done", services.resolve(admin, done, version=done.version, resolution="已接电"))
    for z, zone, matter, project, enterprise in (
        ("a", w.zone_a, w.m_a1, w.p_signed, w.a1),
        ("c", w.zone_c, w.m_c, w.p_c, w.c1),
    ):
        upload = SimpleUploadedFile("现场照片.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
        event = services.comment(admin, matter, text="附现场照片", attachment=upload)
        w.add(f"event_{z}", event)
        catalogue.ensure_categories(zone)
        cats = [c.pk for c in agency.approval_categories(zone)][:2]
        case = services.create_matter(
            admin, zone, kind="agency", title=f"{z}代办", project=project, enterprise=enterprise,
            department=w.dept_a if z == "a" else None,
        )  # fmt: skip
        w.add(f"case_{z}", case)
        items = agency.set_checklist(admin, case, cats[:1])
        w.add(f"item_{z}", items[0])
        w.add(
            f"appt_{z}",
            agency.add_appointment(
                admin, case, mode="appointment", starts_at=next_weekday_at_ten(), place="服务大厅"
            ),
        )
        w.add(
            f"meeting_{z}",
            meetings.create_meeting(
                admin, zone, title="项目调度会", held_on=D(2026, 9, 10), chair="主任",
                projects=[project],
            ),
        )  # fmt: skip
        w.add(
            f"group_{z}",
            assistance.create_group(
                admin, zone, name="第一帮扶工作组", leader_name="张三", enterprises=[enterprise]
            ),
        )
        w.add(
            f"award_{z}",
            assistance.add_award(
                admin, zone, enterprise=enterprise, policy="稳岗补贴", amount="100.5",
                paid_on=D(2020, 3, 1),
            ),
        )  # fmt: skip
        w.add(
            f"loan_{z}",
            assistance.add_loan(
                admin, zone, enterprise=enterprise, bank="九江银行", kind="credit", amount=2000,
                granted_on=D(2020, 4, 1),
            ),
        )  # fmt: skip
        fair = w.add(
            f"fair_{z}",
            assistance.create_fair(admin, zone, title="春风行动", held_on=D(2020, 2, 20)),
        )
        w.add(
            f"offer_{z}",
            assistance.add_offer(admin, fair, enterprise=enterprise, positions=25, jobs="普工"),
        )
        w.add(
            f"res_{z}",
            assistance.add_resumption(
                admin, zone, subject="enterprise", enterprise=enterprise,
                tracked_from=D(2020, 2, 1), resumed_on=D(2020, 2, 15),
            ),
        )  # fmt: skip
        w.add(
            f"category_{z}",
            categories.create_category(
                admin, zone, kind=Kind.HELP, name="测试分类", service_days=5
            ),
        )


def version_data(**data):
    def build_data(ctx):
        return {**data, "version": ctx.obj.version}

    return build_data


def assign_data(ctx):
    matter = ctx.obj
    department = Department.objects.filter(zone=matter.zone).order_by("pk").first()
    return {"version": matter.version, "department": department.pk, "note": "请办理"}


def item_data(ctx):
    return {"version": ctx.obj.version, "state": "submitted", "submitted_on": D.today().isoformat()}


def problem_data(ctx):
    meeting = ctx.obj
    category = catalogue.categories_for(meeting.zone, Kind.SCHEDULING).first()
    department = Department.objects.filter(zone=meeting.zone).order_by("pk").first()
    return {
        "title": "用地指标未落实",
        "project": meeting.projects.first().pk,
        "category": category.pk if category else "",
        "department": department.pk if department else "",
    }


def checklist_data(ctx):
    zone = ctx.obj.zone
    return {"categories": [c.pk for c in agency.approval_categories(zone)][:2]}


def appointment_data(ctx):
    return {
        "mode": "appointment",
        # an hour after the case's own booking: one booking per window and time
        "starts_at": next_weekday_at_ten().replace(hour=11).strftime("%Y-%m-%dT%H:%M"),
        "place": "服务大厅",
    }


MATTERS_ALL = (*MATTERS,)
CASES = pair("case")
PAGES = {
    "matters:cockpit": Check(page(READERS)),
    "matters:cockpit_export": Check(page(READERS)),
    "matters:inbox": Check(page()),
    "matters:inbox_export": Check(page()),
    # The notifications moved to core (/notifications/): old links and forms still arrive.
    "matters:notifications": Check(page(EVERYONE, ok=301, anonymous=301), login_redirect=False),
    "matters:notifications_read": Check(
        page(EVERYONE, ok=308, anonymous=308), method="post", changes=False
    ),
    "matters:list": Check(page(), why="enterprise users: their own"),
    "matters:export": Check(page()),
    "matters:create": Check(page(OFFICERS | {"enterprise"}), why="enterprise users: a request"),
    "matters:agency_list": Check(page(), why="enterprise users: their own cases"),
    "matters:agency_export": Check(page(), why="enterprise users: their own cases"),
    "matters:meeting_list": Check(page(READERS)),
    "matters:meeting_export": Check(page(READERS)),
    "matters:meeting_create": Check(page(OFFICERS)),
    "matters:groups": Check(page(READERS)),
    "matters:group_export": Check(page(READERS)),
    "matters:group_create": Check(page(OFFICERS)),
    "matters:awards": Check(page(READERS)),
    "matters:award_create": Check(page(OFFICERS)),
    "matters:loans": Check(page(READERS)),
    "matters:loan_create": Check(page(OFFICERS)),
    "matters:fairs": Check(page(READERS)),
    "matters:fair_create": Check(page(OFFICERS)),
    "matters:resumption": Check(page(READERS)),
    "matters:resumption_create": Check(page(OFFICERS)),
    "matters:categories": Check(page(READERS)),
    "matters:category_create": Check(page(ADMINS)),
    # One matter: tests/matters/test_pages.py and test_pages_loop.py in depth.
    "matters:detail": Check(scoped(MATTER_VIEW, MATTERS_ALL)),
    "matters:edit": Check(scoped(MATTER_CHANGE, MATTERS_ALL)),
    "matters:comment": Check(
        scoped(MATTER_COMMENT, MATTERS_ALL, ok=302), method="post", data={"text": "请尽快办理"}
    ),
    "matters:escalate": Check(
        scoped(MATTER_CHANGE, MATTERS_ALL, ok=302),
        method="post",
        data={"reason": "企业多次反映"},
    ),
    "matters:assign": Check(
        scoped(MATTER_CHANGE, MATTERS_ALL, ok=302), method="post", data=assign_data
    ),
    "matters:due": Check(
        scoped(MATTER_CHANGE, MATTERS_ALL, ok=302),
        method="post",
        data=version_data(due_on=later().isoformat(), reason="企业补材料"),
    ),
    "matters:status": Check(
        scoped(MATTER_CHANGE, MATTERS_ALL, ok=302),
        method="post",
        data=version_data(to="in_progress", text="开始办理"),
    ),
    "matters:rate": Check(
        scoped({"enterprise": {"m_done"}}, ("m_done", "m_c"), ok=302),
        method="post",
        data={"rating": "5", "comment": "满意"},
        why="the enterprise rates its own resolved request",
    ),
    "matters:attachment": Check(
        scoped({**{r: {"event_a"} for r in ROLES}, "admin": set(pair("event"))}, pair("event")),
        why="a public comment's file: whoever sees the matter",
    ),
    # Agency cases (代办): tests/matters/test_agency_pages.py.
    "matters:agency_items": Check(
        scoped(zone_a("case", OFFICERS), CASES, ok=302), method="post", data=checklist_data
    ),
    "matters:agency_item": Check(
        scoped(zone_a("item", OFFICERS), pair("item"), ok=302), method="post", data=item_data
    ),
    "matters:appointment_add": Check(
        scoped(zone_a("case", OFFICERS), CASES, ok=302), method="post", data=appointment_data
    ),
    "matters:appointment_cancel": Check(
        scoped(zone_a("appt", OFFICERS), pair("appt"), ok=302),
        method="post",
        data={"reason": "企业改期"},
    ),
    # Meetings: tests/matters/test_meetings_pages.py.
    "matters:meeting_detail": Check(scoped(zone_a("meeting", READERS), pair("meeting"))),
    "matters:meeting_edit": Check(scoped(zone_a("meeting", OFFICERS), pair("meeting"))),
    "matters:meeting_problem": Check(
        scoped(zone_a("meeting", OFFICERS), pair("meeting"), ok=302),
        method="post",
        data=problem_data,
    ),
    "matters:meeting_minutes": Check(scoped(zone_a("meeting", READERS), pair("meeting"))),
    # Assistance: tests/matters/test_assistance_pages.py.
    "matters:group_detail": Check(scoped(in_zone_a("group", READERS), pair("group"))),
    "matters:group_edit": Check(scoped(in_zone_a("group", OFFICERS), pair("group"))),
    "matters:award_delete": Check(
        scoped(in_zone_a("award", ADMINS), pair("award"), ok=302),
        method="post",
        data={"reason": "录入错误"},
    ),
    "matters:loan_delete": Check(
        scoped(in_zone_a("loan", ADMINS), pair("loan"), ok=302),
        method="post",
        data={"reason": "录入错误"},
    ),
    "matters:resumption_edit": Check(scoped(in_zone_a("res", OFFICERS), pair("res"))),
    "matters:resumption_delete": Check(
        scoped(in_zone_a("res", ADMINS), pair("res"), ok=302),
        method="post",
        data={"reason": "录入错误"},
    ),
    "matters:fair_detail": Check(scoped(in_zone_a("fair", READERS), pair("fair"))),
    "matters:offer_create": Check(
        scoped(in_zone_a("fair", OFFICERS), pair("fair"), ok=302),
        method="post",
        data=lambda ctx: {"enterprise": ctx.w.a2.pk, "positions": "10", "jobs": "质检"},
    ),
    "matters:offer_delete": Check(
        scoped(in_zone_a("offer", ADMINS), pair("offer"), ok=302),
        method="post",
        data={"reason": "企业撤回"},
    ),
    "matters:category_edit": Check(scoped(in_zone_a("category", ADMINS), pair("category"))),
}

# --- the API ----------------------------------------------------------------------------------


def new_matter(ctx):
    return {"zone": "ZA", "kind": "visit", "title": "走访发现的问题", "enterprise": ctx.w.a1.pk}


def award(ctx):
    return {"enterprise": ctx.w.a2.pk, "policy": "技改补贴", "amount_wan": "50",
            "paid_on": "2021-01-04"}  # fmt: skip


def loan(ctx):
    return {"enterprise": ctx.w.a2.pk, "bank": "九江银行", "kind": "credit", "amount_wan": "800",
            "granted_on": "2021-01-04"}  # fmt: skip


M = "/api/v1/matters/{matter_id}"
ZONE_FOR_MANY = {"zone": "ZA"}  # roles that see several zones name one
API = {
    ("get", "/api/v1/matters"): Check(
        {
            **{r: {"ZA": 200, "ZB": 422, "ZC": 422} for r in ROLES},
            "admin": {"ZA": 200, "ZB": 200, "ZC": 200},
            "province": {"ZA": 200, "ZB": 200, "ZC": 422},
            "anonymous": {"ZA": 401, "ZB": 401, "ZC": 401},
        },
        args=lambda ctx: [],
        query=lambda ctx: {"zone": ctx.target, "page_size": 100},
        sees={
            **{r: MATTER_VIEW[r] | {"m_done", "case_a"} for r in ROLES},
            "admin": set(MATTERS_ALL) | {"m_done", "case_a", "case_c"},
        },
        listed=listed_items(Matter),
        why="one zone at a time (zone=); an unknown or unseen zone is refused",
    ),  # fmt: skip
    ("post", "/api/v1/matters"): Check(api(OFFICERS, ok=201), method="post", data=new_matter),
    ("get", M): Check(api_scoped(MATTER_VIEW, MATTERS_ALL)),
    ("patch", M): Check(
        api_scoped(MATTER_CHANGE, MATTERS_ALL, visible=MATTER_VIEW),
        method="patch",
        data=version_data(priority="urgent"),
    ),
    ("post", f"{M}/comments"): Check(
        api_scoped(MATTER_COMMENT, MATTERS_ALL, ok=201, visible=MATTER_VIEW),
        method="post",
        data={"text": "请尽快办理"},
    ),
    ("post", f"{M}/escalate"): Check(
        api_scoped(MATTER_CHANGE, MATTERS_ALL, visible=MATTER_VIEW),
        method="post",
        data={"reason": "企业多次反映"},
    ),
    ("post", f"{M}/appointments"): Check(
        api_scoped(
            zone_a("case", OFFICERS),
            CASES,
            ok=201,
            visible={r: {"case_a"} for r in ROLES} | {"admin": set(CASES)},
        ),
        method="post",
        data=appointment_data,
    ),  # fmt: skip
    ("post", f"{M}/rating"): Check(
        api_scoped(
            {"enterprise": {"m_done"}},
            ("m_done", "m_c"),
            visible={r: {"m_done"} for r in ("province", "zone_admin", "leader", "staff")}
            | {"admin": {"m_done", "m_c"}},
        ),
        method="post",
        data={"rating": 5, "comment": "满意"},
    ),  # fmt: skip
    ("get", "/api/v1/assistance/summary"): Check(
        api(READERS), query={**ZONE_FOR_MANY, "start": "2020-01-01", "end": "2020-12-31"}
    ),
    ("get", "/api/v1/assistance/awards"): Check(api(READERS), query=ZONE_FOR_MANY),
    ("get", "/api/v1/assistance/loans"): Check(api(READERS), query=ZONE_FOR_MANY),
    ("get", "/api/v1/assistance/fairs"): Check(api(READERS), query=ZONE_FOR_MANY),
    ("get", "/api/v1/assistance/resumptions"): Check(api(READERS), query=ZONE_FOR_MANY),
    ("post", "/api/v1/assistance/awards"): Check(
        api(OFFICERS, ok=201), method="post", data=award, query=ZONE_FOR_MANY
    ),
    ("post", "/api/v1/assistance/loans"): Check(
        api(OFFICERS, ok=201), method="post", data=loan, query=ZONE_FOR_MANY
    ),
    ("delete", "/api/v1/assistance/awards/{award_id}"): Check(
        api_scoped(
            zone_a("award", ADMINS),
            pair("award"),
            ok=204,
            # An enterprise reads its own help (一企一档): it sees the entry, may not delete it.
            visible={r: {"award_a"} for r in (*READERS, "enterprise")},
        ),
        method="delete",
        query={"reason": "录入错误"},
    ),  # fmt: skip
    ("delete", "/api/v1/assistance/loans/{loan_id}"): Check(
        api_scoped(
            zone_a("loan", ADMINS),
            pair("loan"),
            ok=204,
            visible={r: {"loan_a"} for r in (*READERS, "enterprise")},
        ),
        method="delete",
        query={"reason": "录入错误"},
    ),  # fmt: skip
}
