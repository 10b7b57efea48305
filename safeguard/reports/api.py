"""REST endpoints for the aggregates (issue 14 item 7): the board report for a period (the analyst
and named leads; the same protected figures as the page, never a count behind "<5"), and the named
lead's dashboard figures for their agency. Both audited like the pages."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from safeguard.accounts.models import Role
from safeguard.accounts.permissions import is_verified
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record

from .forms import default_period
from .selectors import dashboard as dash
from .selectors.board import Period
from .selectors.report import full_board_report


class RunsBoardReport(BasePermission):
    message = "Only the board's analyst and named leads run the board report."

    def has_permission(self, request, view) -> bool:
        return is_verified(request.user) and request.user.has_role(Role.LSCB_ANALYST, Role.NAMED_LEAD)


class IsNamedLead(BasePermission):
    message = "Only a named lead has an agency dashboard."

    def has_permission(self, request, view) -> bool:
        return is_verified(request.user) and request.user.has_role(Role.NAMED_LEAD) and bool(request.user.agency_id)


class _PeriodSerializer(serializers.Serializer):
    first = serializers.DateField(required=False)
    last = serializers.DateField(required=False)

    def validate(self, attrs):
        today = timezone.localdate()
        default = default_period(today)
        first, last = attrs.get("first", default.first), attrs.get("last", default.last)
        if last < first:
            raise serializers.ValidationError("last must be on or after first")
        if last > today:
            raise serializers.ValidationError("last cannot be in the future")
        if (last - first).days > 3 * 366:
            raise serializers.ValidationError("a report covers at most 3 years")
        return {"first": first, "last": last}


_TABLE = inline_serializer("BoardTable", fields={
    "key": serializers.CharField(), "title": serializers.CharField(), "section": serializers.CharField(),
    "columns": serializers.ListField(child=serializers.CharField()),
    "rows": serializers.ListField(child=serializers.DictField()),
    "all_agencies": serializers.ListField(child=serializers.CharField()),
    "note": serializers.CharField(),
})


class BoardReportView(APIView):
    """The board report for ``first``..``last`` (ISO dates; the year up to today by default). Every
    figure is a string as printed: a count, "<5" or "*"."""

    permission_classes = [RunsBoardReport]

    @extend_schema(
        parameters=[OpenApiParameter("first", date), OpenApiParameter("last", date)],
        responses=inline_serializer("BoardReport", fields={
            "first": serializers.DateField(), "last": serializers.DateField(),
            "threshold": serializers.IntegerField(), "tables": serializers.ListField(child=_TABLE),
        }),
    )
    def get(self, request):
        period_in = _PeriodSerializer(data=request.query_params)
        if not period_in.is_valid():
            raise ApiValidationError(period_in.errors)
        period = Period(period_in.validated_data["first"], period_in.validated_data["last"])
        report = full_board_report(period=period, today=timezone.localdate())
        with transaction.atomic():
            audit_record(verb=Verb.REPORT_RUN, actor=request.user,
                         payload={"report": "board", "format": "api", "first": period.first.isoformat(),
                                  "last": period.last.isoformat()})
        return Response({
            "first": period.first, "last": period.last, "threshold": report.threshold,
            "tables": [
                {"key": t.key, "title": t.title, "section": t.section, "columns": list(t.header),
                 "rows": [{"agency": agency, "figures": list(cells)} for agency, cells in t.rows],
                 "all_agencies": list(t.overall), "note": t.note}
                for t in report.tables
            ],
        })


class DashboardView(APIView):
    """The named lead's dashboard figures for their agency: counts, the band by risk grid and the
    monthly trends. Child-level lists stay on the page."""

    permission_classes = [IsNamedLead]

    @extend_schema(responses=inline_serializer("Dashboard", fields={
        "agency": serializers.CharField(), "counts": serializers.DictField(child=serializers.IntegerField()),
        "band_by_risk": serializers.DictField(), "trends": serializers.DictField(),
        "new_break_glass": serializers.IntegerField(),
    }))
    def get(self, request):
        agency_id = request.user.agency_id
        if not agency_id:
            raise NotFound()
        today, now = timezone.localdate(), timezone.now()
        since = dash.last_dashboard_view(request.user)
        _, new_break_glass = dash.break_glass_for_dashboard(request.user, since=since)
        trend = dash.trends(agency_id, today=today)
        grid = dash.band_by_risk(agency_id)
        with transaction.atomic():
            audit_record(verb=Verb.DASHBOARD_VIEWED, actor=request.user, payload={"agency_id": agency_id,
                                                                                  "via": "api"})
        return Response({
            "agency": str(request.user.agency),
            "counts": dash.dashboard_counts(request.user, agency_id, today=today, now=now),
            "band_by_risk": {"columns": grid["columns"],
                             "rows": [{"band": label, "figures": cells, "total": total}
                                      for label, cells, total in grid["rows"]]},
            "trends": {"months": [m.isoformat() for m in trend.months], "series": trend.series},
            "new_break_glass": new_break_glass,
        })
