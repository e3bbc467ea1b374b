from django.conf import settings
from django.utils.translation import gettext_noop

from .zones import visible_zones

# The modules of the platform; those not built yet are shown as coming. Labels are translated
# where they are shown ({% trans label %}).
MODULES = [
    ("home", gettext_noop("概览"), "bi-speedometer2", "home"),
    ("enterprises", gettext_noop("企业库"), "bi-buildings", "enterprises:list"),
    ("investment", gettext_noop("招商引资"), "bi-briefcase", "investment:cockpit"),
    ("statistics", gettext_noop("经济运行"), "bi-graph-up", "statistics:cockpit"),
    ("matters", gettext_noop("服务闭环"), "bi-arrow-repeat", "matters:cockpit"),
    ("innovation", gettext_noop("科技创新"), "bi-lightbulb", None),
    ("utilities", gettext_noop("水电气"), "bi-lightning-charge", None),
    ("evaluation", gettext_noop("考核评价"), "bi-trophy", None),
]
# Where a module opens for enterprise users, when not on the officers' page (their own returns).
ENTERPRISE_ENTRIES = {"statistics": "statistics:my", "matters": "matters:list"}


def _modules_for(roles):
    if roles != {"enterprise_user"}:
        return MODULES
    return [
        (key, label, icon, ENTERPRISE_ENTRIES.get(key, url)) for key, label, icon, url in MODULES
    ]


def platform(request):
    user = getattr(request, "user", None)
    data = {"PLATFORM_NAME": settings.PLATFORM_NAME, "MODULES": MODULES}
    if user is not None and user.is_authenticated:
        roles = user.roles()
        data["user_roles"] = roles
        data["MODULES"] = _modules_for(roles)
        data["is_admin"] = bool(roles & {"platform_admin", "zone_admin"})
        if roles & {"platform_admin", "province_viewer"}:
            data["switchable_zones"] = list(visible_zones(user))
    return data
