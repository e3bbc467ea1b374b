"""Office Open XML packages (.docx, .xlsx) are zip archives. They are opened here, with bounds,
before anything else reads them: the number of members and the uncompressed sizes are checked
against settings, and every member is decompressed once, streaming, to prove that its declared
size is its real size (a zip bomb can declare small sizes and expand far beyond them in a reader
that trusts the data). Then the package must hold the parts that make it what its name says.

Used by the spreadsheet reader (core.spreadsheets.bounds) and by uploaded documents
(core.uploads); both take their limits from IMPORT_MAX_ZIP_MEMBERS and
IMPORT_MAX_UNCOMPRESSED_MB.
"""

import struct
import xml.parsers.expat
import zipfile
import zlib
from collections.abc import Callable, Iterator

from django.conf import settings
from django.utils.translation import gettext as _

CONTENT_TYPES = "[Content_Types].xml"
MAIN_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "xlsm": "xl/workbook.xml"}
CHUNK = 1 << 20
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zipfile.structFileHeader: 30 bytes
_LOCAL_SIGNATURE = b"PK\x03\x04"
MB = 1024 * 1024


class PackageProblem(Exception):
    """Why an archive is refused. `damaged`: it is not a sound zip (the caller says so in its own
    words); otherwise it exceeds a bound and str(problem) is the message to show."""

    def __init__(self, message: str = "", *, damaged: bool = False):
        super().__init__(message)
        self.damaged = damaged


def _damaged() -> PackageProblem:
    return PackageProblem(_("压缩包已损坏"), damaged=True)


class Package:
    """A zip archive whose members passed the bounds; read members only through chunks()."""

    def __init__(self, fileobj):
        self.fileobj = fileobj
        try:
            self.zip = zipfile.ZipFile(fileobj)
            self.infos = self.zip.infolist()
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            OSError,
            ValueError,
            EOFError,
            struct.error,
        ):
            raise _damaged() from None
        self.by_name = {info.filename: info for info in self.infos}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self.zip.close()

    def has(self, name: str) -> bool:
        return name in self.by_name

    def names(self) -> list[str]:
        return list(self.by_name)

    def check(self) -> None:
        """The bounds on the declared figures, then every member's real size."""
        max_members = settings.IMPORT_MAX_ZIP_MEMBERS
        max_bytes = settings.IMPORT_MAX_UNCOMPRESSED_MB * MB
        if len(self.infos) > max_members:
            raise PackageProblem(
                _("文件由 %(n)d 个部件组成,超过上限 %(m)d 个;文件可能已损坏或是恶意构造的压缩包")
                % {"n": len(self.infos), "m": max_members}
            )
        # Two members of one name: this check and the real reader could each pick another one.
        if len(self.by_name) != len(self.infos):
            raise _damaged()
        total = 0
        for info in self.infos:
            if info.flag_bits & 0x1 or info.compress_type not in (
                zipfile.ZIP_STORED,
                zipfile.ZIP_DEFLATED,
            ):
                raise _damaged()  # encrypted, or a method no Office program writes
            if info.file_size > max_bytes:
                raise PackageProblem(
                    _(
                        "文件中的部件 %(p)s 解压后 %(s).1f MB,超过上限 %(m)d MB;"
                        "文件可能已损坏或是恶意构造的压缩包"
                    )
                    % {"p": info.filename[:100], "s": info.file_size / MB, "m": max_bytes // MB}
                )
            total += info.file_size
        if total > max_bytes:
            raise PackageProblem(
                _("文件解压后共 %(s).1f MB,超过上限 %(m)d MB;文件可能已损坏或是恶意构造的压缩包")
                % {"s": total / MB, "m": max_bytes // MB}
            )
        for info in self.infos:
            for _chunk in self.chunks(info.filename):
                pass

    def chunks(self, name: str) -> Iterator[bytes]:
        """The member's content, decompressed here (not by zipfile, which stops at the declared
        size): more or less data than declared, or a wrong CRC, is a damaged archive."""
        info = self.by_name[name]
        fp = self.fileobj
        try:
            fp.seek(info.header_offset)
            header = fp.read(_LOCAL_HEADER.size)
            fields = _LOCAL_HEADER.unpack(header)
            fp.seek(info.header_offset + _LOCAL_HEADER.size + fields[-2] + fields[-1])
        except (OSError, ValueError, struct.error):
            raise _damaged() from None
        if fields[0] != _LOCAL_SIGNATURE:
            raise _damaged()
        produced, crc = 0, 0
        for piece in _inflate(fp, info):
            produced += len(piece)
            if produced > info.file_size:
                raise _damaged()
            crc = zlib.crc32(piece, crc)
            yield piece
        if produced != info.file_size or crc != info.CRC:
            raise _damaged()


def _inflate(fp, info: zipfile.ZipInfo) -> Iterator[bytes]:
    remaining = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        while remaining:
            raw = fp.read(min(CHUNK, remaining))
            if not raw:
                raise _damaged()
            remaining -= len(raw)
            yield raw
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        while remaining and not inflater.eof:
            raw = fp.read(min(CHUNK, remaining))
            if not raw:
                raise _damaged()
            remaining -= len(raw)
            while raw and not inflater.eof:
                # At most CHUNK out per call: a bomb never sits whole in memory.
                out = inflater.decompress(raw, CHUNK)
                raw = inflater.unconsumed_tail
                if out:
                    yield out
        if not inflater.eof:
            raise _damaged()  # the deflate stream does not end inside the member
    except zlib.error:
        raise _damaged() from None


def open_package(fileobj) -> Package:
    """The archive in `fileobj` (binary, seekable), checked; PackageProblem if refused."""
    package = Package(fileobj)
    try:
        package.check()
    except BaseException:
        package.close()
        raise
    return package


def missing_part(package: Package, kind: str) -> str | None:
    """The first part a `kind` (docx, xlsx, xlsm) package must have and this one lacks."""
    for part in (CONTENT_TYPES, MAIN_PARTS[kind]):
        if not package.has(part):
            return part
    return None


def parse(package: Package, name: str, start: Callable[[str, dict], None]) -> None:
    """Stream the member `name` through expat, calling start(tag, attributes) per element. A
    document type declaration (never in OOXML; the door to entity bombs) is refused as damaged;
    whatever start() raises propagates."""
    parser = xml.parsers.expat.ParserCreate()
    parser.StartElementHandler = start

    def refuse(*_args):
        raise _damaged()

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        for piece in package.chunks(name):
            parser.Parse(piece, False)
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError:
        raise _damaged() from None
