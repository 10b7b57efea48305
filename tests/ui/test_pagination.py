"""Pagination says where the reader is in body text (contrast 4.5:1 or more, issue 10 item 20)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.loader import render_to_string


def test_the_page_number_is_plain_body_text():
    page = Paginator(list(range(60)), 25).page(2)
    html = render_to_string("includes/pagination.html", {"page": page, "query_string": ""})
    assert "Page 2 of 3" in html
    # GOV.UK's "current page" box is meant for a link in a list of page numbers; as a bare label its
    # text failed axe's contrast check (4.06:1).
    assert "govuk-pagination__item--current" not in html
    assert 'class="govuk-body govuk-!-margin-bottom-0 sg-pagination__where"' in html
    assert 'rel="prev"' in html and 'rel="next"' in html
