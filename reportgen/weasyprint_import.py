"""Import WeasyPrint without its 22 library searches: a third of its import time.

WeasyPrint opens Pango, HarfBuzz, fontconfig and GObject through cffi, trying each
library under several names, one per platform (``libpango-1.0-0``, ``pango-1.0``
...). On Linux, cffi asks ``ctypes.util.find_library`` for each name, and each
search runs ``ldconfig -p`` and, for a name that is not found, ``gcc`` and ``ld``:
about 0.14 s of a 0.37 s import, on the critical path of every PDF build (issue 21).

Here the searches are answered from one ``ldconfig -p`` listing, with the same
pattern ``ctypes.util`` applies to it, then from ``LD_LIBRARY_PATH`` (where ``ld``
would look). ``gcc``'s own search path is not tried: should a library WeasyPrint
needs be found only there, the import fails, and is done again with the standard
search.
"""

from __future__ import annotations

import ctypes.util
import functools
import os
import re
import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

# The ABI tag ldconfig prints for this interpreter's libraries (as in ctypes.util).
_ABI = {
    "x86_64-64": "libc6,x86-64",
    "ppc64-64": "libc6,64bit",
    "sparc64-64": "libc6,64bit",
    "s390x-64": "libc6,64bit",
    "ia64-64": "libc6,IA-64",
}


@functools.cache
def _listing() -> bytes | None:
    try:
        done = subprocess.run(
            ["/sbin/ldconfig", "-p"],
            stdin=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            env={"LC_ALL": "C", "LANG": "C"},
            check=False,
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def find_library(name: str) -> str | None:
    """``ctypes.util.find_library``'s answer, from one cached listing of the linker cache."""
    listing = _listing()
    bits = "-32" if struct.calcsize("l") == 4 else "-64"
    abi = _ABI.get(os.uname().machine + bits, "libc6")
    if listing is not None:
        found = re.search(os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi}"), listing)
        if found:
            return os.fsdecode(found.group(1))
    for folder in os.environ.get("LD_LIBRARY_PATH", "").split(":"):
        if folder:
            candidates = sorted(Path(folder).glob(f"lib{name}.so*"))
            if candidates:
                return str(candidates[0])
    return None


def load() -> None:
    """Import WeasyPrint (once per process) with the quick library search."""
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint

        return
    standard: Callable[[str], str | None] = ctypes.util.find_library
    ctypes.util.find_library = find_library
    try:
        import weasyprint
    except OSError:
        # A library the quick search missed: forget the half-done import, search as usual.
        for module in [m for m in sys.modules if m.partition(".")[0] == "weasyprint"]:
            del sys.modules[module]
        ctypes.util.find_library = standard
        import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = standard
