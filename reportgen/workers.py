"""Worker processes (chart drawing, batch builds) end with the process that started them.

A worker blocks on its pool's queue, whose pipe every sibling also holds open:
when the parent is killed (SIGKILL cannot be caught), nothing tells the worker,
and orphans used to linger. Each worker therefore asks the kernel for SIGKILL
when its parent dies (Linux ``PR_SET_PDEATHSIG``) and also polls its parent
(other systems).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1
_POLL_SECONDS = 0.5


def die_with_parent(parent: int) -> None:
    """Pool initializer: end this worker as soon as ``parent`` (its starter's pid) ends."""
    # The parent's SIGTERM handler (stop like Ctrl-C) is inherited by a fork:
    # a worker told to stop simply stops; the parent does the cleaning up.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    # The parent may have died before the request above: then it is too late for it.
    if os.getppid() != parent:
        os._exit(1)
    # Also where the kernel cannot be asked (not Linux), and in case it was not.
    threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def _watch(parent: int) -> None:
    # An orphan is adopted by another process: its parent pid changes.
    while os.getppid() == parent:
        time.sleep(_POLL_SECONDS)
    os._exit(1)
