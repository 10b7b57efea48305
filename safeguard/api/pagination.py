"""Keyset (cursor) pagination for the API's long lists: no COUNT(*), no OFFSET that grows.

A page is "the next ``page_size`` rows after this position" in a fixed ordering that has a matching
index, so the first page and the thousandth cost the same (issue 15; ADR 0020). The answer carries
``next`` and ``previous`` links holding an opaque cursor; there is no total count and no page
number. The ordering's first field is the position; later fields break ties (DRF's cursor keeps a
small offset for rows that share a position, capped by ``offset_cutoff``), so the first field should
be nearly unique (a timestamp or the id).

Every page that shows children's records is audited as ONE read naming the children on it (issue 11
item 2), whichever paginator serves it.

Lists bounded by one child's record (observations, chronology, screenings) keep the page-number
pagination of the settings: a count of one child's rows is cheap and the pages are useful there.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist, ValidationError
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination, PageNumberPagination

from safeguard.access.policy import child_id_of, children_viewed_record

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class AuditedPages:
    """Writes one read event naming the children on the page."""

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)  # type: ignore[misc]
        if page is not None:
            children_viewed_record(request, [child_id_of(item) for item in page])
        return page


class AuditedPageNumberPagination(AuditedPages, PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class KeysetPagination(AuditedPages, CursorPagination):
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("-id",)
    _model = None

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        """DRF checks the cursor's offset but passes its position straight to the filter: a forged
        position ("p=x" for a number) would be a server error, so it is checked here and answered as
        an invalid cursor (404, as DRF answers any other bad cursor)."""
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None or self._model is None:
            return cursor
        try:
            field = self._model._meta.get_field(self.ordering[0].lstrip("-"))
            field.to_python(cursor.position)
        except (FieldDoesNotExist, ValidationError, ValueError, TypeError, OverflowError):
            raise NotFound(self.invalid_cursor_message) from None
        return cursor


def keyset(*ordering: str) -> type[KeysetPagination]:
    """A keyset pagination class for this ordering (give the view the same ordering's index)."""
    return type("KeysetPagination", (KeysetPagination,), {"ordering": tuple(ordering)})
