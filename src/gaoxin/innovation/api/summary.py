"""The zone's innovation figures for a year (GET /summary): what the cockpit shows first and the
province compares. Officers, leaders and the province read; enterprise users get 403."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query

from gaoxin.core.api import SCOPED_READ_ERRORS, Input, Schema, reading_zone
from gaoxin.core.errors import Forbidden

from .. import summary
from .common import router


class InnovationSummaryQuery(Input):
    # A string, so that a bad year answers our message rather than the parser's.
    year: str = Field(..., max_length=10, description="年度 YYYY")
    zone: str | None = Field(None, max_length=40, description="园区代码;默认为当前用户所在园区")


class HightechOut(Schema):
    valid: int = Field(description="年末(当年为今天)有效的高新技术企业数")
    new: int = Field(description="当年新认定(发证)的高新技术企业数")


class PlatformsOut(Schema):
    new: int = Field(description="当年新认定的创新平台数")
    new_provincial_plus: int = Field(description="其中省级以上")


class PatentsOut(Schema):
    invention_granted: int = Field(description="当年授权的发明专利数")


class TalentsOut(Schema):
    provincial_plus: int = Field(description="当年入选省级以上人才工程的人数")


class CloudOut(Schema):
    enterprises: int = Field(description="截至年末上云的企业数")


class InnovationSummaryOut(Schema):
    hightech: HightechOut
    platforms: PlatformsOut
    patents: PatentsOut
    talents: TalentsOut
    cloud: CloudOut


@router.get(
    "/summary",
    response={200: InnovationSummaryOut, **SCOPED_READ_ERRORS},
    summary="科技创新年度汇总:高企、平台、发明专利、人才、上云",
)
def get_summary(request, filters: Query[InnovationSummaryQuery]):
    try:
        year = summary.check_year(filters.year.strip())
    except ValueError as error:
        raise ValidationError({"year": str(error)}) from None
    zone = reading_zone(request.auth, filters.zone)
    if not summary.can_read(request.auth, zone):
        raise Forbidden(_("无权查看园区科技创新汇总"))
    return summary.summary(zone, year)
