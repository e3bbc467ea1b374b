"""The minutes open in a word processor: LibreOffice headless converts the .docx to text and the
problems, owners and deadlines are in it. Skipped only where soffice is missing and CI is not set;
under CI it must run (CI installs libreoffice-writer-nogui)."""

import datetime
import os
import shutil
import subprocess
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from gaoxin.investment import services as investment
from gaoxin.matters import meetings, minutes

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        SOFFICE is None and not IN_CI,
        reason="LibreOffice (soffice) is not installed here; CI installs libreoffice-writer-nogui",
    ),
]

D = datetime.date


def test_minutes_convert_with_libreoffice(world, tmp_path):
    assert SOFFICE, "soffice must be installed under CI"
    tz = timezone.get_current_timezone()
    with time_machine.travel(datetime.datetime(2026, 10, 12, 10, tzinfo=tz), tick=False):
        project = investment.create_project(
            world.admin, world.zone_a, stage="signed", on=D(2026, 3, 1), name="甲液晶模组项目",
            investor_name="深圳某显示科技有限公司", planned_investment=Decimal("120000"),
        )  # fmt: skip
        sep = meetings.create_meeting(
            world.zone_admin, world.zone_a, title="9月重大项目调度会", held_on=D(2026, 9, 10),
            chair="张主任", projects=[project],
        )  # fmt: skip
        meetings.add_problem(
            world.staff, sep, title="用地指标未落实", project=project, department=world.dept_a,
            officer=world.staff, due_on=D(2026, 10, 30),
        )  # fmt: skip
        oct_ = meetings.create_meeting(
            world.zone_admin, world.zone_a, title="10月重大项目调度会", held_on=D(2026, 10, 12),
            chair="张主任", place="管委会三楼会议室", projects=[project],
            summary="各责任单位限时办结。",
        )  # fmt: skip
        meetings.add_problem(
            world.staff, oct_, title="临时用电未接入", project=project, due_on=D(2026, 11, 20)
        )
        source = tmp_path / "minutes.docx"
        source.write_bytes(minutes.build(oct_))
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    converted = tmp_path / "minutes.txt"
    assert converted.exists(), result.stderr.decode(errors="replace")
    text = converted.read_text(encoding="utf-8-sig")
    for expected in (
        "10月重大项目调度会",
        "前次会议遗留问题",
        "用地指标未落实",
        "临时用电未接入",
        "经济发展局",
        "2026-10-30",
        "甲液晶模组项目",
    ):
        assert expected in text, expected
