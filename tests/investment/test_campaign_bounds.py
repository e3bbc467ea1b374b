"""A campaign's length is bounded (issue 11, item 7: one from year 1 to 9999 made its page loop
per day for 30 s): the service refuses more than MAX_CAMPAIGN_DAYS, and a campaign saved before
the bound shows at most DAILY_POINTS days, the running total carried in from before them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from gaoxin.core.models import AuditRecord
from gaoxin.investment import plans, services, summary
from gaoxin.investment.models import Campaign
from tests.support.api import Api, bearer

pytestmark = pytest.mark.django_db

D = datetime.date
TOO_LONG = "活动时长不能超过 366 天"


def test_a_campaign_of_366_days_is_accepted(pipeline):
    campaign = plans.create_campaign(
        pipeline.world.admin,
        pipeline.world.zone_a,
        name="全年招商",
        start=D(2024, 1, 1),
        end=D(2024, 12, 31),  # a leap year: 366 days
    )
    assert (campaign.end - campaign.start).days + 1 == plans.MAX_CAMPAIGN_DAYS


@pytest.mark.parametrize(
    "start,end", [(D(2024, 1, 1), D(2025, 1, 1)), (D(1, 1, 1), D(9999, 12, 31))]
)
def test_a_longer_campaign_is_refused_and_nothing_is_written(pipeline, start, end):
    audit = AuditRecord.objects.count()
    with pytest.raises(ValidationError) as refused:
        plans.create_campaign(
            pipeline.world.admin, pipeline.world.zone_a, name="长期招商", start=start, end=end
        )
    assert refused.value.message_dict == {"end": [TOO_LONG]}
    assert (Campaign.objects.count(), AuditRecord.objects.count()) == (0, audit)


def test_the_api_refuses_a_campaign_from_year_1_to_9999(pipeline):
    api = Api(Client(), bearer(pipeline.world.zone_admin))
    body = {"name": "万年招商", "start": "0001-01-01", "end": "9999-12-31"}
    r = api.post("/investment/campaigns", body)
    assert r.status_code == 422, r.content
    assert r.json()["errors"] == [{"field": "end", "message": TOO_LONG}]
    assert Campaign.objects.count() == 0


def test_an_edit_cannot_stretch_a_campaign_past_the_bound(pipeline):
    admin = pipeline.world.admin
    campaign = plans.create_campaign(
        admin, pipeline.world.zone_a, name="百日招商", start=D(2020, 1, 1), end=D(2020, 4, 9)
    )
    with pytest.raises(ValidationError) as refused:
        plans.update_campaign(admin, campaign.pk, {"end": D(2021, 6, 30)}, version=1)
    assert refused.value.message_dict == {"end": [TOO_LONG]}
    campaign.refresh_from_db()
    assert (campaign.end, campaign.version) == (D(2020, 4, 9), 1)


def test_a_campaign_saved_before_the_bound_shows_its_last_year_of_days(pipeline):
    # Saved directly, as the bound did not exist then: year 1 to 9999, open today.
    campaign = Campaign.objects.create(
        zone=pipeline.world.zone_a, name="万年招商", start=D(1, 1, 1), end=D(9999, 12, 31)
    )
    today = D(2019, 6, 30)
    projects = services.pipeline(pipeline.world.admin).filter(zone=pipeline.world.zone_a)
    progress = summary.campaign_progress(
        projects, campaign, services.thresholds_for(campaign.zone), today
    )
    daily = progress["daily"]
    assert len(daily) == summary.DAILY_POINTS
    assert (daily[0]["date"], daily[-1]["date"]) == (D(2018, 6, 30), today)
    # p_ent signed 2018-05-01 (20000), before the first day shown: carried in.
    assert (daily[0]["signed"], daily[0]["investment_wan"]) == (1, 20000)
    # p_signed signed 2019-03-10 (150000).
    by_day = {d["date"]: (d["signed"], d["investment_wan"]) for d in daily}
    assert by_day[D(2019, 3, 9)] == (1, 20000)
    assert by_day[D(2019, 3, 10)] == (2, 170000)
    assert progress["figures"]["signed"]["count"] == 2


def test_the_page_of_such_a_campaign_answers(pipeline):
    campaign = Campaign.objects.create(
        zone=pipeline.world.zone_a, name="万年招商", start=D(1, 1, 1), end=D(9999, 12, 31)
    )
    client = Client()
    client.force_login(pipeline.world.leader)
    r = client.get(reverse("investment:campaign_detail", args=[campaign.pk]))
    assert r.status_code == 200
    assert len(r.context["daily"]) == summary.DAILY_POINTS
    assert r.context["daily"][0]["date"] == services.today()
