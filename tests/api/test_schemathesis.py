"""schemathesis over the whole OpenAPI document (DESIGN.md, Tests; issue 11, fuzzing in CI).

Every operation is called as an officer (zone_staff), and every operation an enterprise user may
call (its access expectation, tests/<app>/access.py) as an enterprise user too, by bearer token,
with data that fits the schema and data that does not; half the calls that fit aim their path ids
at real rows of the demo province. No answer may be a 5xx, and every answer must be documented:
its status code, its content type and the schema of its body (errors included, so every error is
in the {"detail", "errors"} shape).

Bounded for CI: a fixed seed (derandomize), MAX_EXAMPLES calls per operation and role, the demo
built once per run (`demo`, tests/support/demo.py) and each test rolled back. It runs in `make
test` on PostgreSQL only (`engine`, tests/conftest.py), the engine that refuses what SQLite lets
pass (a NUL character in text, an integer past 64 bits, a number past its column's precision).
To fuzz harder locally:
FUZZ_EXAMPLES=200 .venv/bin/python scripts/with_postgres.py .venv/bin/pytest --reuse-db \
    tests/api/test_schemathesis.py
"""

import os

import pytest
import schemathesis
from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from gaoxin.api import api
from gaoxin.core.models import User
from gaoxin.wsgi import application
from tests.support.access import collected
from tests.support.api import bearer

# The operations refused to an enterprise user are fuzzed as the officer only: their input is
# read by the same schema whoever calls, and the access matrix asks each of them as that user.
# 12 a role and operation keeps `make test` within its 10 minutes as the API grows (about 150
# operations); each has its bad-input tests beside it, and FUZZ_EXAMPLES fuzzes harder.
MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
ROLES = {"officer": "staff", "enterprise": "enterprise"}  # demo accounts
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Which rows a path parameter names, so the fuzzer also reaches real records.
PATH_MODELS = {
    "enterprise_id": "enterprises.Enterprise",
    "campaign_id": "investment.Campaign",
    "project_id": "investment.Project",
    "funds_id": "investment.FundsEntry",
    "document_id": "investment.Document",
    "finding_id": "statistics.Finding",
    "figure_id": "statistics.OfficialFigure",
    "return_id": "statistics.Return",
    "matter_id": "matters.Matter",
    "award_id": "matters.Award",
    "loan_id": "matters.Loan",
    "certification_id": "innovation.Certification",
    "patent_id": "innovation.Patent",
    "copyright_id": "innovation.SoftwareCopyright",
    "platform_id": "innovation.Platform",
    "talent_id": "innovation.Talent",
    "cooperation_id": "innovation.Cooperation",
    "cloud_id": "innovation.CloudAdoption",
    "account_id": "utilities.Account",
    "user_id": "core.User",
    "membership_id": "core.Membership",
    "token_id": "core.ApiToken",
}

# The document as the API builds it (reading it over HTTP needs a signed-in user).
SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
SCHEMA.app = application
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


EXPECTATIONS = collected("API")


def enterprise_may_call(operation) -> bool:
    """The access matrix lets the enterprise user past the door on some target: an answer, or
    its input refused (400, 409, 422), rather than 401/403/404 on every target."""
    _label, check = EXPECTATIONS[(operation.method.lower(), operation.full_path)]
    return any(s < 400 or s in (400, 409, 422) for _t, s in check.targets("enterprise"))


CASES = [
    pytest.param(operation, role, id=f"{operation.label}-{role}")
    for operation in OPERATIONS
    for role in ROLES
    if role == "officer" or enterprise_may_call(operation)
]

pytestmark = [pytest.mark.django_db, pytest.mark.engine("postgresql")]


@pytest.fixture(scope="module", autouse=True)
def _connection_kept():
    """schemathesis calls the WSGI application itself, which closes the database connection after
    each request as a server does; the test's transaction lives on it (on PostgreSQL), so keep it
    open, as django.test.Client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def real_ids(demo, django_db_blocker):
    """A few ids per path parameter, from the demo's main zone where the rows have one."""
    with django_db_blocker.unblock():
        out = {}
        for name, label in PATH_MODELS.items():
            model = apps.get_model(label)
            qs = model.objects.order_by("pk")
            if any(f.name == "zone" for f in model._meta.get_fields()):
                qs = qs.filter(zone__code="GJ")
            out[name] = list(qs.values_list("pk", flat=True)[:5])
        return out


@pytest.fixture
def headers(request, demo):
    return bearer(User.objects.get(username=ROLES[request.param]))


def fuzz(operation, headers: dict, real_ids: dict) -> None:
    real = {p.name: real_ids.get(p.name) for p in operation.path_parameters}
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,  # the same calls on every run: CI is reproducible
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # report the first failure, do not shrink it
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy, data=st.data())
    def run(case, data):
        if case.meta.generation.mode.is_positive and data.draw(st.booleans(), "real rows"):
            for name, ids in real.items():
                if ids:
                    case.path_parameters[name] = data.draw(st.sampled_from(ids), name)
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


@pytest.mark.parametrize(("operation", "headers"), CASES, indirect=["headers"])
def test_every_answer_is_documented(operation, headers, real_ids):
    fuzz(operation, headers, real_ids)
