"""Who reaches the utilities' records. Officers keep them; an enterprise reads its own accounts;
a utility company's partner account (core.roles.PARTNER) reads and feeds the accounts of its own
company (one kind, one zone) and nothing else. The core policies give a partner nothing, so the
partner's share is added here, on top of the one access path."""

from django.apps import apps
from django.db.models import Q

from gaoxin.core.models.access import (
    ADD,
    CHANGE,
    RECORDS_POLICY,
    VIEW,
    RestrictedQuerySet,
    user_scope_q,
)
from gaoxin.core.roles import ENTERPRISE_USER, PARTNER

# Officers keep accounts and their ledgers; an enterprise reads its own, never writes.
OWN_READ_POLICY = {**RECORDS_POLICY, ENTERPRISE_USER: {VIEW}}
# A partner reads its company's accounts and adds ledger entries (readings, top-ups, cut-offs).
PARTNER_ACTIONS = frozenset({VIEW, ADD, CHANGE})


def partner_zone_ids(user) -> list[int]:
    if not (user and user.is_authenticated and user.is_active):
        return []
    return [m.zone_id for m in user.memberships_cached() if m.role == PARTNER]


class PartnerScopedQuerySet(RestrictedQuerySet):
    """restrict() as everywhere, plus a partner's own company's rows. `access_company_path` on
    the model is the lookup to its company's id ("pk", "company_id", "account__company_id")."""

    def restrict(self, user, action: str = VIEW):
        path = getattr(self.model, "access_company_path", None)
        if action not in PARTNER_ACTIONS or path is None or not partner_zone_ids(user):
            return super().restrict(user, action)
        q = user_scope_q(
            user,
            action,
            zone_path=getattr(self.model, "access_zone_path", "zone"),
            enterprise_path=getattr(self.model, "access_enterprise_path", None),
            policy=getattr(self.model, "access_policy", None),
        )
        if q is True:
            return self.all()
        return self.filter(q | Q(**{f"{path}__in": partner_company_ids(user)}))


def partner_company_ids(user) -> list[int]:
    """The utility companies whose accounts `user` feeds as their partner account, in its zones."""
    companies = apps.get_model("utilities", "UtilityCompany")  # defined on top of this file
    return list(
        companies.objects.filter(users=user, zone_id__in=partner_zone_ids(user)).values_list(
            "pk", flat=True
        )
    )
