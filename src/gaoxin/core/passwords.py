import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with its message in our catalogue: Django 5.2 rewrote the message
    and its Chinese catalogue has no translation of the new one, so it showed in English."""

    def get_error_message(self):
        return _("密码太短,至少需要 %(n)d 个字符。") % {"n": self.min_length}

    def get_help_text(self):
        return self.get_error_message()


class CharacterClassValidator:
    """等保 complexity: a password mixes at least three of lower case, upper case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _("密码须包含小写字母、大写字母、数字、符号中的至少 %(n)d 类。")
                % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("密码须包含小写字母、大写字母、数字、符号中的至少 %(n)d 类。") % {
            "n": self.min_classes
        }


# --- history, expiry, one-time passwords (等保: no reuse, periodic change, forced first change) --


def history_count() -> int:
    return max(int(getattr(settings, "PASSWORD_HISTORY_COUNT", 5)), 0)


class PasswordHistoryValidator:
    """Refuses the current password and the last N before it (settings.PASSWORD_HISTORY_COUNT).

    The history holds hashes only (core.PasswordHistory, written on every password set by
    gaoxin.core.people.signals); each is checked with the hasher that made it.
    """

    def __init__(self, count: int | None = None):
        self.count = count

    def _count(self) -> int:
        return history_count() if self.count is None else self.count

    def validate(self, password, user=None):
        if user is None or getattr(user, "pk", None) is None:
            return
        from .models import PasswordHistory

        hashes = [user.password] if user.password else []
        # The newest history row is normally the current password: read one more than N.
        earlier = PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)
        for encoded in earlier[: self._count() + 1]:
            if encoded not in hashes:
                hashes.append(encoded)
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(self._message(), code="password_reused")

    def _message(self):
        return _("新密码不能与当前密码或最近 %(n)d 次用过的密码相同。") % {"n": self._count()}

    def get_help_text(self):
        return self._message()


def record_history(user) -> None:
    """Keep the user's new password hash, and only as many as the validator reads."""
    from .models import PasswordHistory

    if not user.pk or not user.has_usable_password():
        return
    PasswordHistory.objects.create(user_id=user.pk, password=user.password)
    keep = PasswordHistory.objects.filter(user_id=user.pk).values_list("pk", flat=True)
    stale = list(keep[history_count() + 1 :])
    if stale:
        PasswordHistory.objects.filter(pk__in=stale).delete()


def password_age_days(user, now=None) -> int:
    """Whole days since the password was last set (since the account was made if never)."""
    since = user.password_changed_at or user.date_joined
    if since is None:
        return 0
    return max(((now or timezone.now()) - since).days, 0)


def change_reason(user) -> str | None:
    """Why `user` must change the password before anything else, or None."""
    if user.must_change_password:
        return _("这是首次登录或密码已被管理员重置,请先修改密码。")
    max_age = int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 90) or 0)
    if max_age and password_age_days(user) >= max_age:
        return _("密码已超过 %(n)d 天未修改,请修改密码后继续使用。") % {"n": max_age}
    return None


# Without look-alike characters (0/O, 1/l/I), so a password read out or copied by hand works.
_LOWER, _UPPER, _DIGITS, _SYMBOLS = (
    "abcdefghijkmnpqrstuvwxyz",
    "ABCDEFGHJKLMNPQRSTUVWXYZ",
    "23456789",
    "-_@#%+=",
)


def one_time_password(user=None, length: int = 14) -> str:
    """A random initial or reset password that passes the password validators (a new one is drawn
    from `secrets` every time; it is shown once and must be changed at the next sign-in)."""
    from django.contrib.auth.password_validation import (
        get_default_password_validators,
        validate_password,
    )

    # A fresh random password cannot be in the history: checking it would cost N hashings.
    validators = [
        v for v in get_default_password_validators() if not isinstance(v, PasswordHistoryValidator)
    ]
    rng = secrets.SystemRandom()
    alphabet = _LOWER + _UPPER + _DIGITS + _SYMBOLS
    while True:
        chars = [secrets.choice(group) for group in (_LOWER, _UPPER, _DIGITS, _SYMBOLS)]
        chars += [secrets.choice(alphabet) for _i in range(length - len(chars))]
        rng.shuffle(chars)
        password = "".join(chars)
        try:
            validate_password(password, user, password_validators=validators)
        except ValidationError:
            continue
        return password
