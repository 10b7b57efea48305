"""Set-up made once and shared by many tests, as Django's ``TestCase.setUpTestData`` does it.

`SharedLayer` opens a transaction (or, inside another layer, a savepoint) that outlives single tests
and is rolled back when the layer is left. Each test still runs in its own savepoint inside it
(pytest-django's ``db``), rolled back at its end, so every test starts from exactly the rows the
layer made and nothing one test writes is seen by the next. Only for tests that use ``db``: a
transactional test (``transaction=True``, ``committed_db``, ``race``) must really commit and flush,
which it cannot do inside an open transaction.

Python objects made in a layer are shared; hand each test `fresh(...)` copies (as Django's
``TestData`` does) so that an attribute one test sets on an instance is not seen by the next.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction


class SharedLayer:
    """One level of shared set-up: `enter()`, make rows, …tests…, `leave()` rolls them back."""

    def __init__(self, django_db_blocker) -> None:
        self._blocker = django_db_blocker
        self._atomic: transaction.Atomic | None = None

    def enter(self, build: Callable[[], Any]) -> Any:
        """Open the layer and run `build` inside it; if `build` fails the layer is rolled back and closed."""
        assert self._atomic is None, "layer already open"
        with self._blocker.unblock():
            blocks = connections[DEFAULT_DB_ALIAS].atomic_blocks
            if blocks and not getattr(blocks[-1], "_shared_layer", False):
                # Inside a test's own transaction the layer would be rolled back with the test, and
                # leaving it later would close the wrong block: open layers from module-scoped fixtures.
                raise RuntimeError("a shared layer must be opened before the test's own transaction")
            atomic = transaction.atomic(using=DEFAULT_DB_ALIAS)
            atomic._from_testcase = True  # a durable block inside behaves as it does inside a test
            atomic._shared_layer = True
            atomic.__enter__()
            self._atomic = atomic
            try:
                return build()
            except BaseException:
                self._rollback()
                raise

    def leave(self) -> None:
        if self._atomic is not None:
            with self._blocker.unblock():
                self._rollback()

    def _rollback(self) -> None:
        atomic, self._atomic = self._atomic, None
        assert connections[DEFAULT_DB_ALIAS].atomic_blocks[-1] is atomic, "a block opened inside the layer is still open"
        transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
        atomic.__exit__(None, None, None)


def fresh(value: Any) -> Any:
    """A test's own copy of shared objects (model instances, dataclasses of them, dicts)."""
    return copy.deepcopy(value)
