"""Run callables at the same instant in threads and collect what each one ended with."""

from __future__ import annotations

import threading
from collections.abc import Callable

from core.errors import DomainError


def race(*calls: Callable[[], object], ok: str = "ok") -> list[str]:
    """Start every call together; each outcome is ``ok`` (or the call's own label) or the error key."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            result = call()
            outcome = result if isinstance(result, str) else ok
        except DomainError as err:
            outcome = err.key
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
