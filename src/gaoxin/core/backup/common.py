"""What the backup modules share: the error, progress bars, hashing readers, row-count checks."""

import hashlib
import re
from functools import partial
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

# Table and schema names go into SQL the restore writes: only plain identifiers are accepted.
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
CHUNK = 1 << 20
UNCHANGED = gettext_lazy("未做任何更改。")  # ends every refusal: the operator needs to know


class BackupError(Exception):
    """A refusal or a failure, in words for the operator."""


def silent(**kwargs):
    return tqdm(disable=True, **kwargs)


def terminal_progress(stream):
    """Progress bars on the command's stderr; silent when it is not a terminal (cron, tests)."""
    return partial(tqdm, file=getattr(stream, "_out", stream), disable=None, dynamic_ncols=True)


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def human_size(size: float) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


class Hashing:
    """A reader that hashes and counts what passes through it (and moves a progress bar)."""

    def __init__(self, raw, bar=None):
        self.raw, self.bar, self.digest, self.size = raw, bar, hashlib.sha256(), 0

    def read(self, n=-1):
        data = self.raw.read(n)
        self.digest.update(data)
        self.size += len(data)
        if self.bar is not None:
            self.bar.update(len(data))
        return data

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def hash_file(path: Path, bar=None) -> tuple[int, str]:
    """(size, SHA-256) of a file."""
    with open(path, "rb") as raw:
        reader = Hashing(raw, bar)
        while reader.read(CHUNK):
            pass
    return reader.size, reader.hexdigest()


def not_initialised() -> BackupError:
    return BackupError(_("数据库还没有初始化(没有运行过 gaoxin migrate),没有可备份的内容。"))


def count_problem(manifest: dict, counts: dict[str, int]) -> str | None:
    """The first table whose row count differs from the manifest's, said in words."""
    for table in sorted(set(manifest["tables"]) | set(counts)):
        expected, found = manifest["tables"].get(table), counts.get(table)
        if expected != found:
            return row_mismatch(table, found, expected)
    return None


def row_mismatch(table, found, expected) -> str:
    return _("数据表 %(t)s 有 %(n)s 行,清单记录为 %(m)s 行") % {
        "t": table,
        "n": "-" if found is None else found,
        "m": "-" if expected is None else expected,
    }
