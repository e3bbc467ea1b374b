"""The one message for a period nobody can read (core.periods.forms_message), spelt out once for
the tests of every page and endpoint that reads a period."""

PERIOD_FORMS = (
    "无法识别的期间「%s」,可以这样写:2019-12、201912、2019.12、2019年12月、2019年1-12月、"
    "2019年(全年)、2020Q1、2020年一季度、2020年上半年"
)
