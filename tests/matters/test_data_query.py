"""The seam from statistics: a finding sent to the enterprise as a query becomes a data-query
matter owned by the officer who sent it; the enterprise's reply on the matter explains the
finding."""

import datetime

import pytest

from gaoxin.matters import services as matters
from gaoxin.matters.models import Kind, Matter, Status
from gaoxin.statistics import services
from gaoxin.statistics.models import FindingStatus
from tests.support.returns import GOOD, accepted

pytestmark = pytest.mark.django_db


def test_a_query_becomes_a_matter_and_the_reply_explains_the_finding(
    reporters,
    django_capture_on_commit_callbacks,
):
    w = reporters
    accepted(w, w.a1, "2019-02", GOOD)
    # Filled by an officer (代填): an enterprise cannot submit with a warning unexplained.
    ret = services.return_for(w.staff, w.a1, "2019-03", create=True)
    ret = services.save_draft(
        w.staff, ret, data={**GOOD, "output_value": "9000", "revenue": "8800"},
        version=ret.version,
    )  # fmt: skip
    ret = services.submit(w.staff, ret, version=ret.version)
    finding = ret.findings.filter(severity="warning").first()
    due = services.today() + datetime.timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_query(w.staff, finding, due_on=due, message="请说明产值大增原因")
    matter = Matter.objects.get(finding=finding)
    assert matter.kind == Kind.DATA_QUERY and matter.enterprise == w.a1
    assert matter.officer == w.staff and matter.department == w.dept_a
    assert matter.status == Status.ASSIGNED and matter.due_on == due
    assert "请说明产值大增原因" in matter.description
    # Sending again does not open a second matter.
    matters.open_data_query(finding, message="again")
    assert Matter.objects.filter(finding=finding).count() == 1
    # The enterprise sees it and answers on the matter; the finding is explained.
    assert Matter.objects.restrict(w.enterprise).filter(pk=matter.pk).exists()
    matters.comment(w.enterprise, matter, text="新生产线投产")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.EXPLAINED and finding.explanation == "新生产线投产"
