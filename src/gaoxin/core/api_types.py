"""The types every integer and date the API reads (path, query, body) is declared with.

The OpenAPI document shows their bounds, and tests/api/test_input_types.py fails for an input
declared without them. SQLite cannot even compare an integer beyond 64 bits (OverflowError, a
500), PostgreSQL's integer columns hold 32 bits, and pydantic on its own reads a date from 0 or
from a timestamp. gaoxin.core.api re-exports them.
"""

import datetime
import re
from typing import Annotated

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field
from ninja import Schema as NinjaSchema
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema, model_validator

MAX_ID = 2**63 - 1
MAX_INT = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Int = Annotated[int, Field(ge=-MAX_INT - 1, le=MAX_INT)]  # a page, a version, a year
Count = Annotated[int, Field(ge=0, le=MAX_INT)]  # a target, a number of jobs


def _id_or_404(pk: int) -> int:
    if not 0 < pk <= MAX_ID:
        raise Http404  # pydantic lets it through: an id no row can have reads as missing
    return pk


# An id in the path: like a missing row, an impossible one answers 404 (not 422).
PathId = Annotated[
    int,
    AfterValidator(_id_or_404),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_ID}),
]


def _iso_date(value):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return value
    raise ValueError(_("日期格式应为 YYYY-MM-DD"))


IsoDate = Annotated[
    datetime.date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
]

DATETIME_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?$"
)


def _iso_datetime(value):
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(DATETIME_PATTERN.strip("^$"), value):
        return value
    raise ValueError(_("时间格式应为 YYYY-MM-DDTHH:MM(如 2026-11-04T10:00)"))


# A moment: ISO 8601 only (no bare numbers read as seconds since 1970), local time when no
# offset is given.
IsoDateTime = Annotated[
    datetime.datetime,
    BeforeValidator(_iso_datetime),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN}),
]


class Schema(NinjaSchema):
    """The base of every schema of the API. django-ninja's wraps each object it validates in a
    getter that reads every field through `getattr` (for ORM objects); our services and `*_out`
    functions hand it dicts, which pydantic reads natively: a list of 50 rows validates in a
    fraction of the time."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values, handler, info):
        if type(values) is dict:
            return handler(values)
        return super()._run_root_validator(values, handler, info)
