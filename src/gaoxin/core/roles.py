"""The roles, named once. Plain strings (not the model's TextChoices) so that AppConfigs and
policies can use them before the models load; `core.models.Role` gives their labels."""

PLATFORM_ADMIN = "platform_admin"
PROVINCE_VIEWER = "province_viewer"
ZONE_ADMIN = "zone_admin"
ZONE_LEADER = "zone_leader"
ZONE_STAFF = "zone_staff"
ENTERPRISE_USER = "enterprise_user"
# An outside organisation's account in a zone (a utility company pushing its meters' readings):
# it reaches only the modules that declare `partner_access`, and there only what they grant it
# (core.middleware.PartnerDoorMiddleware; the core policies give it nothing).
PARTNER = "partner"

ALL = frozenset(
    {PLATFORM_ADMIN, PROVINCE_VIEWER, ZONE_ADMIN, ZONE_LEADER, ZONE_STAFF, ENTERPRISE_USER, PARTNER}
)
# Who administers people, tags and settings.
ADMINS = frozenset({PLATFORM_ADMIN, ZONE_ADMIN})
# The zone's own people, who carry work: a project's officer, a matter's owner (leaders take
# charge of key projects themselves, 领导包联).
ZONE_OFFICERS = frozenset({ZONE_ADMIN, ZONE_LEADER, ZONE_STAFF})
# Everyone on the government side: they read the zone as a whole.
GOVERNMENT = ALL - {ENTERPRISE_USER, PARTNER}
