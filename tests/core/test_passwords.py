"""The password rules speak Chinese (Django 5.2's length message has no Chinese translation)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation


@pytest.mark.django_db
def test_a_short_password_is_refused_in_chinese_and_in_english():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        validate_password("Ab1!")
    assert "密码太短,至少需要 10 个字符。" in exc.value.messages
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        validate_password("Ab1!")
    assert "The password is too short: at least 10 characters." in exc.value.messages
