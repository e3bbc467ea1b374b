"""Uploaded files (project documents, attachments of matters) are accepted safely: a short list of
types, checked by content (not by the name the user gave), and a size limit. A .docx or .xlsx is
a zip: it is opened with bounds (core.ooxml) and must hold the parts of a Word document or an
Excel workbook, so a plain zip (or a zip bomb) named .docx is refused. The models store them
under a random name on disk and serve them only through the access path (never from a public
media URL)."""

import io
import os

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import ooxml

# Extension → the types its content may be detected as.
ALLOWED = {
    "pdf": {"application/pdf"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "png": {"image/png"},
    "doc": {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"},
    "xls": {"application/vnd.ms-excel", "application/msword", "application/vnd.ms-powerpoint"},
    "docx": {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/zip",
    },
    "xlsx": {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/zip",
    },
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def max_bytes() -> int:
    return settings.DOCUMENT_MAX_MB * 1024 * 1024


def clean_name(name: str) -> str:
    """The file's own name without any path, control characters or over-long tail."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"/|?*')
    stem, dot, ext = name.strip().rpartition(".")
    if not dot:
        stem, ext = ext, ""
    return (stem[:150] + ("." + ext[:10] if ext else "")).strip() or "file"


def check_upload(upload) -> tuple[str, str]:
    """(safe name, content type) of an acceptable upload; ValidationError on "file" if not."""
    if upload is None:
        raise ValidationError({"file": _("请选择要上传的文件")})
    name = clean_name(upload.name)
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    allowed = "、".join(sorted(ALLOWED))
    if ext not in ALLOWED:
        raise ValidationError(
            {
                "file": _("不支持的文件类型「%(e)s」,可上传:%(a)s")
                % {"e": ext or "无扩展名", "a": allowed}
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": _("文件是空的")})
    if upload.size > max_bytes():
        raise ValidationError(
            {
                "file": _("文件大小 %(s).1f MB 超过上限 %(m)s MB")
                % {"s": upload.size / 1024 / 1024, "m": settings.DOCUMENT_MAX_MB}
            }
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED[ext]:
        raise ValidationError({"file": _mismatch(ext)})
    if ext in ooxml.MAIN_PARTS:
        _check_package(upload, ext)
    return name, CONTENT_TYPES[ext]


def _mismatch(ext: str) -> str:
    return _("文件内容与扩展名 .%(e)s 不符(可能已损坏或被改名)") % {"e": ext}


def _check_package(upload, ext: str) -> None:
    """A .docx/.xlsx must be a sound, bounded zip with its content types and main part."""
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    upload.seek(0)
    try:
        with ooxml.open_package(io.BytesIO(data)) as package:
            missing = ooxml.missing_part(package, ext)
    except ooxml.PackageProblem as problem:
        raise ValidationError(
            {"file": _mismatch(ext) if problem.damaged else str(problem)}
        ) from None
    if missing:
        kind = _("Word 文档") if ext == "docx" else _("Excel 工作簿")
        raise ValidationError(
            {
                "file": _("文件内容与扩展名 .%(e)s 不符:压缩包中没有 %(p)s,不是有效的 %(k)s")
                % {"e": ext, "p": missing, "k": kind}
            }
        )
