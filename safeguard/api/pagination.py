"""The API's one paginator: pages are capped, and every page that shows children's records is
audited as ONE read naming the children on it (issue 11 item 2)."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination

from safeguard.access.policy import child_id_of, children_viewed_record


class AuditedPageNumberPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)
        if page is not None:
            children_viewed_record(request, [child_id_of(item) for item in page])
        return page
