import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

import gaoxin

PO = Path(gaoxin.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_english_catalogue_is_complete_and_valid():
    out = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in out and "fuzzy" not in out, out


@pytest.mark.django_db
def test_the_language_switch_turns_the_pages_english(client, world):
    client.force_login(world.staff)
    assert "企业库" in client.get(reverse("enterprises:list")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/enterprises/"})
    html = client.get(reverse("enterprises:list")).content.decode()
    assert "Enterprises" in html and "Export to Excel" in html
    assert 'lang="en"' in html


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_the_person_switches(client, world):
    client.force_login(world.staff)
    html = client.get(reverse("enterprises:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-hans"' in html.content.decode()
