from django.conf import settings

from .zones import visible_zones

# The modules of the platform; those not built yet are shown as coming.
MODULES = [
    ("home", "概览", "bi-speedometer2", "home"),
    ("enterprises", "企业库", "bi-buildings", "enterprises:list"),
    ("investment", "招商引资", "bi-briefcase", None),
    ("statistics", "经济运行", "bi-graph-up", None),
    ("matters", "服务闭环", "bi-arrow-repeat", None),
    ("innovation", "科技创新", "bi-lightbulb", None),
    ("utilities", "水电气", "bi-lightning-charge", None),
    ("evaluation", "考核评价", "bi-trophy", None),
]


def platform(request):
    user = getattr(request, "user", None)
    data = {"PLATFORM_NAME": settings.PLATFORM_NAME, "MODULES": MODULES}
    if user is not None and user.is_authenticated:
        roles = user.roles()
        data["user_roles"] = roles
        data["is_admin"] = bool(roles & {"platform_admin", "zone_admin"})
        if roles & {"platform_admin", "province_viewer"}:
            data["switchable_zones"] = list(visible_zones(user))
    return data
