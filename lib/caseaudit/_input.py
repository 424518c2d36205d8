"""Reading a hand-written input file (a round, a framework, a case list) as text.

Every such file is read through this one function so that whatever is at the path (a folder, a
file the account may not read, a spreadsheet saved under a .csv name, Latin-1 text, something far
too large) gets a message naming the file and what to do, never a traceback; and so that a file
larger than the limit is refused from its size, before it is read.
"""

from __future__ import annotations

import stat
from pathlib import Path

from .errors import InputFileError, Problem

#: The first bytes of a zip file: an .xlsx or .docx workbook saved or renamed as text.
_ZIP_MAGIC = b"PK\x03\x04"
#: The first bytes of an OLE2 compound file: an old .xls workbook.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(n // 1000, 1)} KB"


def read_input_text(path: Path, error: type[InputFileError], what: str, *, max_bytes: int,
                    how_to_save: str, unit: str = "line") -> str:
    """The text of ``path`` as UTF-8 (a byte-order mark is dropped).

    ``how_to_save`` ends the message for a file that is not UTF-8 text (it differs between a YAML
    file written in an editor and a CSV saved from Excel); ``unit`` is what the user counts in
    ("line" in YAML, "row" in a case list), used to say where a bad byte is.

    Raises
    ------
    error
        naming the file and what to do; the file's contents are never quoted.
    """
    def refuse(message: str, place: str = "") -> InputFileError:
        return error(path, [Problem(place, message)], what)

    try:
        info = path.stat()
    except FileNotFoundError:
        raise refuse("the file does not exist") from None
    except OSError as exc:
        raise refuse(_os_reason(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise refuse(f"this is a folder, not a file; put the {what} file itself at this path")
    if not stat.S_ISREG(info.st_mode):
        raise refuse(f"this is not an ordinary file (a device or a pipe); put the {what} file "
                     "itself at this path")
    if info.st_size > max_bytes:
        raise refuse(f"the file is {_size(info.st_size)}, more than any {what} needs (at most "
                     f"{_size(max_bytes)}); check that this is the right file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise refuse(_os_reason(exc)) from None
    if len(data) > max_bytes:  # it grew after the check above
        raise refuse(f"the file is more than {_size(max_bytes)}, more than any {what} needs; "
                     "check that this is the right file")
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        raise refuse(f"this is an Excel workbook (or another packed file), not text; {how_to_save}")
    if b"\x00" in data:
        at = data[:data.index(b"\x00")].count(b"\n") + 1
        raise refuse(f"the file holds binary data (a NUL byte), so it is not text; {how_to_save}",
                     f"{unit} {at}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        at = data[:exc.start].count(b"\n") + 1
        raise refuse(f"the text is not UTF-8 (byte 0x{data[exc.start]:02X} cannot be read); "
                     f"{how_to_save}", f"{unit} {at}") from None


def _os_reason(exc: OSError) -> str:
    """What to do when the operating system will not give the file's bytes."""
    if isinstance(exc, PermissionError):
        return ("your account may not read this file (permission denied); ask whoever looks after "
                "the folder to make it readable to you")
    if isinstance(exc, IsADirectoryError):
        return "this is a folder, not a file; put the file itself at this path"
    reason = exc.strerror or type(exc).__name__
    return f"the file cannot be read ({reason}); check the disk or copy the file again"
