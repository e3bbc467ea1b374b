"""What an import returns: counts, timings and every error, and the marked workbook on demand."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .reading import Parsed
from .spec import CellError
from .writing import write_errors_workbook

STAGES = ("read", "validate", "write")


def stage_label(stage: str) -> str:
    return {"read": _("读取"), "validate": _("校验"), "write": _("写入")}.get(stage, stage)


@dataclass
class ImportResult:
    file_name: str
    rows: int = 0  # data rows read (blank and example rows not counted)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    parsed: Parsed | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted_errors(self) -> list[CellError]:
        return sorted(self.errors, key=CellError.sort_key)

    def summary(self) -> str:
        if not self.ok:
            return _("导入未执行:共 %(n)d 处错误,没有写入任何数据。") % {"n": len(self.errors)}
        return _("导入完成:共 %(rows)d 行,新建 %(c)d 条,更新 %(u)d 条,未变化 %(s)d 条。") % {
            "rows": self.rows,
            "c": self.created,
            "u": self.updated,
            "s": self.unchanged,
        }

    @property
    def can_mark(self) -> bool:
        """Whether a marked copy of the upload can be written (the file could be read)."""
        return bool(self.errors) and self.parsed is not None and self.parsed.table is not None

    def write_errors_workbook(self, target) -> bool:
        if not self.can_mark:
            return False
        write_errors_workbook(target, self.parsed.table, self.sorted_errors())
        return True

    def as_dict(self, max_errors: int = 200) -> dict:
        """A JSON-safe summary (for a job's cache entry or an API answer)."""
        errors = self.sorted_errors()
        return {
            "ok": self.ok,
            "file_name": self.file_name,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "summary": self.summary(),
            "error_count": len(errors),
            "errors": [e.as_dict() for e in errors[:max_errors]],
            "ignored_columns": self.ignored_columns,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }
