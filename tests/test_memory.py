"""Builds and the garbage collector: a frozen heap during a build, nothing left behind."""

from __future__ import annotations

import gc
import weakref

from reportgen.build import frozen_heap


class _Node:
    """An object in a reference cycle: only the cyclic collector can free it."""

    def __init__(self) -> None:
        self.me = self


def test_the_heap_is_frozen_during_a_build_and_unfrozen_after() -> None:
    assert gc.get_freeze_count() == 0
    before = _Node()
    with frozen_heap():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    del before


def test_a_builds_cyclic_garbage_is_freed_before_it_returns() -> None:
    gc.disable()  # only frozen_heap's own collection may free it
    try:
        with frozen_heap():
            garbage = weakref.ref(_Node())
            assert garbage() is not None
        assert garbage() is None
    finally:
        gc.enable()


def test_without_collect_the_garbage_waits_for_the_next_collection() -> None:
    gc.disable()
    try:
        with frozen_heap(collect=False):
            garbage = weakref.ref(_Node())
        assert garbage() is not None
        gc.collect()
        assert garbage() is None
    finally:
        gc.enable()


def test_a_heap_frozen_by_the_caller_stays_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with frozen_heap():
            pass
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()
