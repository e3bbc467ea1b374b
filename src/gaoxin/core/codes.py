"""Identity codes: the 统一社会信用代码 (USCC, GB 32100-2015) and its organisation code (GB 11714)."""

import re

from django.utils.translation import gettext as _

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
ORG_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

FULLWIDTH = (
    {0xFF10 + i: ord("0") + i for i in range(10)}
    | {0xFF21 + i: ord("A") + i for i in range(26)}
    | {0xFF41 + i: ord("a") + i for i in range(26)}
)


def normalize_uscc(value: str) -> str:
    """Full-width to half-width, upper case, spaces and dashes removed."""
    value = (value or "").translate(FULLWIDTH).upper()
    return "".join(ch for ch in value if not ch.isspace() and ch not in "-—_")


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    total = sum(ORG_CHARSET.index(c) * w for c, w in zip(first8, ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def uscc_problem(code: str) -> str | None:
    """Why `code` (already normalised) is not a valid USCC, or None when it is."""
    if len(code) != 18:
        return _("统一社会信用代码应为 18 位,实际为 %(n)d 位") % {"n": len(code)}
    bad = sorted({c for c in code if c not in USCC_CHARSET})
    if bad:
        return _("统一社会信用代码含非法字符 %(chars)s(不使用 I、O、Z、S、V)") % {
            "chars": "、".join(bad)
        }
    if code[0] not in "123456789ANY":
        return _("统一社会信用代码第 1 位(登记管理部门)%(c)s 无效") % {"c": code[0]}
    org = code[8:17]
    if any(c not in ORG_CHARSET for c in org[:8]):
        return _("组织机构代码(第 9–17 位)含非法字符")
    expected_org = org_code_check_char(org[:8])
    if org[8] != expected_org:
        return _("组织机构代码校验位错误:第 17 位应为 %(e)s,实际为 %(a)s") % {
            "e": expected_org,
            "a": org[8],
        }
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return _("统一社会信用代码校验位错误:第 18 位应为 %(e)s,实际为 %(a)s") % {
            "e": expected,
            "a": code[17],
        }
    return None


def make_uscc(authority: str, org_type: str, division: str, org_body8: str) -> str:
    """A valid USCC from its parts (demo data and tests): both check characters computed."""
    org = org_body8 + org_code_check_char(org_body8)
    first17 = authority + org_type + division + org
    return first17 + uscc_check_char(first17)


# --- phone numbers ------------------------------------------------------------------------------

# A mainland mobile (optionally +86), or a landline with its area code (0791-88888888,
# 079188888888, (0791)88888888) and an optional extension (-123, 转123, #123, ext123).
_MOBILE = re.compile(r"^(?:\+?86-?)?1[3-9]\d{9}$")
_LANDLINE = re.compile(
    r"^(?:0\d{2,3}-?|\(0\d{2,3}\))[2-9]\d{6,7}(?:(?:-|转|#|EXT\.?|分机)\d{1,6})?$"
)
_PHONE_DASHES = str.maketrans({"—": "-", "–": "-", "－": "-", "（": "(", "）": ")", "＋": "+"})


def normalize_phone(value) -> str:
    """Half-width, spaces dropped, any dash made '-', upper case (EXT)."""
    text = str(value or "").translate(FULLWIDTH).translate(_PHONE_DASHES).upper()
    return "".join(ch for ch in text if not ch.isspace() and ch != "\u200b")


def phone_problem(phone: str) -> str | None:
    """Why `phone` (already normalised) is not a mainland mobile or landline number, or None."""
    if not phone or _MOBILE.match(phone) or _LANDLINE.match(phone):
        return None
    return _(
        "电话号码「%(v)s」格式不正确:手机号为 1 开头的 11 位数字(如 13912345678),"
        "固定电话须带区号(如 0791-88888888 或 079188888888,分机可写 0791-88888888-123)"
    ) % {"v": phone}
