"""Reports pages: the board report (aggregates only) with its CSV and PDF, the named lead's
dashboard, and training records. Thin: check the role, call a selector or service, render."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguard.access.policy import works_with_children
from safeguard.accounts.models import Agency, Role, User
from safeguard.audit.models import Verb
from safeguard.audit.services import audit_record
from safeguard.platform.rules_settings import rules_params
from safeguard.rules.training import STATUS_TEXT, training_status

from . import charts, exports, maps, services
from .forms import PeriodForm, TrainingForm, default_period
from .models import Course
from .selectors import dashboard as dash
from .selectors import partners
from .selectors import training as training_selectors
from .selectors.board import BoardReport, Period
from .selectors.report import full_board_report

# Who may run the board report: the board's analyst, and each agency's named lead, who reports to
# the board (§11.2). Both see only the protected aggregates.
BOARD_ROLES = (Role.LSCB_ANALYST, Role.NAMED_LEAD)
TRAINING_PAGE = 50


def _require(request, *roles: str) -> None:
    if not request.user.has_role(*roles):
        raise Http404("No such page")


def _run(request) -> tuple[PeriodForm, BoardReport | None]:
    """The report for the period asked for, audited; None when no period was asked for yet or the
    period is not valid (the form says why)."""
    today = timezone.localdate()
    if not request.GET:
        period = default_period(today)
        return PeriodForm(initial={"first": period.first, "last": period.last}), None
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, full_board_report(period=form.period(today), today=today)


def _audit_run(request, report: BoardReport, what: str) -> None:
    with transaction.atomic():
        audit_record(verb=Verb.REPORT_RUN if what == "page" else Verb.EXPORTED, actor=request.user,
                     payload={"report": "board", "format": what, "first": report.period.first.isoformat(),
                              "last": report.period.last.isoformat()})


def _chart(table) -> object:
    """The overall row by column; for a ranked list (no overall row), its rows in order."""
    if not table.overall:
        return charts.bar_chart(table.title, [label for label, _ in table.rows],
                                [numbers[0] for numbers in table.row_numbers], [cells[0] for _, cells in table.rows])
    columns = [i for i, name in enumerate(table.header) if name != "Total"]
    return charts.bar_chart(
        table.title, [table.header[i] for i in columns],
        [table.overall_numbers[i] for i in columns], [table.overall[i] for i in columns],
    )


AGENCY_LIMIT = 200


@login_required
def board(request):
    _require(request, *BOARD_ROLES)
    form, report = _run(request)
    tables = []
    if report is not None:
        _audit_run(request, report, "page")
        tables = [(section, [(table, _chart(table)) for table in section.tables]) for section in report.sections]
    return render(request, "reports/board.html", {
        "form": form, "report": report, "sections": tables, "query": request.GET.urlencode(),
    })


def _export(request, what: str):
    _require(request, *BOARD_ROLES)
    form, report = _run(request)
    if report is None:
        return redirect(f"{reverse('reports:board')}?{request.GET.urlencode()}")
    _audit_run(request, report, what)
    name = f"board-report-{report.period.first:%Y-%m-%d}-to-{report.period.last:%Y-%m-%d}"
    if what == "csv":
        response = HttpResponse(exports.board_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    now = timezone.localtime()
    generated = f"Produced {now.day} {now:%B %Y, %H:%M} by {request.user}."
    response = HttpResponse(exports.board_pdf(report, generated=generated), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@login_required
def board_csv(request):
    return _export(request, "csv")


@login_required
def board_pdf(request):
    return _export(request, "pdf")


# -- the named lead's dashboard ---------------------------------------------------------------------


def _lead_agency(request) -> int:
    user = request.user
    if not (user.has_role(Role.NAMED_LEAD) and user.agency_id):
        raise Http404("No such page")
    return user.agency_id


@login_required
def dashboard(request):
    agency_id = _lead_agency(request)
    today, now = timezone.localdate(), timezone.now()
    since = dash.last_dashboard_view(request.user)
    break_glass, new_break_glass = dash.break_glass_for_dashboard(request.user, since=since)
    trend = dash.trends(agency_id, today=today)
    month_labels = [f"{m:%b %Y}" for m in trend.months]
    context = {
        "grid": dash.band_by_risk(agency_id),
        "reviews": dash.reviews_due(agency_id, today=today),
        "referrals": dash.referrals_awaiting_outcome(agency_id),
        "interviews": dash.overdue_interviews(agency_id, now=now),
        "actions": dash.overdue_actions(agency_id, today=today),
        "meeting_actions": dash.overdue_meeting_actions(request.user, agency_id, today=today),
        "alerts": dash.pattern_alerts(request.user, now=now),
        "break_glass": break_glass, "new_break_glass": new_break_glass, "since": since,
        "trend": trend, "trend_rows": [(label, [trend.series[s][i] for s in trend.series])
                                       for i, label in enumerate(month_labels)],
        "trend_chart": charts.line_chart("Month by month, last 12 months", month_labels, trend.series),
        "list_limit": dash.LIST_LIMIT,
    }
    with transaction.atomic():
        audit_record(verb=Verb.DASHBOARD_VIEWED, actor=request.user, payload={"agency_id": agency_id})
    return render(request, "reports/dashboard.html", context)


# -- training records -------------------------------------------------------------------------------


def _training_agency(request) -> Agency:
    """A named lead sees their own agency; an administrator chooses one (``?agency=``)."""
    user = request.user
    if user.has_role(Role.ADMINISTRATOR):
        wanted = request.GET.get("agency") or user.agency_id
        try:
            return Agency.objects.get(pk=int(wanted))
        except (Agency.DoesNotExist, TypeError, ValueError):
            raise Http404("No such agency") from None
    if user.has_role(Role.NAMED_LEAD) and user.agency_id:
        return user.agency
    raise Http404("No such page")


@login_required
def training(request):
    agency = _training_agency(request)
    today = timezone.localdate()
    years = rules_params().training_refresh_years
    page = Paginator(training_selectors.staff_for_agency(agency.pk), TRAINING_PAGE).get_page(request.GET.get("page"))
    rows = []
    for person in page:
        record = getattr(person, "training", None)
        rows.append({"person": person, "record": record,
                     "awareness": _status(record, Course.AWARENESS, person.awareness_expected, today, years),
                     "multi_agency": _status(record, Course.MULTI_AGENCY, person.multi_agency_expected, today, years)})
    coverage = {course: training_selectors.team_coverage(course, agency_id=agency.pk, today=today, refresh_years=years)
                for course in (Course.AWARENESS, Course.MULTI_AGENCY)}
    # The partnership's agencies: a few dozen, capped so the page stays bounded.
    agencies = Agency.objects.order_by("name")[:AGENCY_LIMIT] if request.user.has_role(Role.ADMINISTRATOR) else None
    return render(request, "reports/training.html", {
        "agency": agency, "page": page, "rows": rows, "coverage": coverage, "years": years, "agencies": agencies,
        "awareness_label": Course.AWARENESS.label, "multi_label": Course.MULTI_AGENCY.label,
        "query_string": f"agency={agency.pk}" if agencies is not None else "",
    })


def _status(record, course: Course, expected: bool, today, years: int) -> dict:
    completed = getattr(record, training_selectors.COURSE_FIELD[course], None) if record else None
    status = training_status(completed, today=today, refresh_years=years)
    return {"expected": expected, "completed": completed, "status": status, "text": STATUS_TEXT[status]}


@login_required
def training_edit(request, user_id: int):
    try:
        staff = User.objects.select_related("agency").get(pk=user_id, is_active=True)
    except User.DoesNotExist:
        raise Http404("No such person") from None
    if not services.may_record_training(request.user, staff):
        raise Http404("No such person")
    record = training_selectors.record_for(staff)
    initial = {"version": record.version if record else 0, "team": record.team if record else "",
               "awareness_completed_on": record.awareness_completed_on if record else None,
               "multi_agency_completed_on": record.multi_agency_completed_on if record else None}
    form = TrainingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = services.TrainingData(team=form.cleaned_data["team"].strip(),
                                     awareness_completed_on=form.cleaned_data["awareness_completed_on"],
                                     multi_agency_completed_on=form.cleaned_data["multi_agency_completed_on"])
        try:
            services.training_record_save(actor=request.user, staff=staff, data=data,
                                          version=form.cleaned_data["version"])
        except services.StaleEdit as error:
            form.add_error(None, error.reload_message)
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Training saved for {staff}")
            query = f"?agency={staff.agency_id}" if request.user.has_role(Role.ADMINISTRATOR) else ""
            return redirect(f"{_training_url()}{query}")
    return render(request, "reports/training_edit.html", {"form": form, "staff": staff,
                                                          "back": _training_url()})


def _training_url() -> str:
    return reverse("reports:training")


# -- the local profile (§15) ------------------------------------------------------------------------

# Who sees the local profile: the police CSE lead, named leads and the risk panel (issue 14 item 4).
PROFILE_ROLES = (Role.POLICE_LEAD, Role.NAMED_LEAD, Role.MARP_CHAIR, Role.MARP_MEMBER)


@login_required
def local_profile(request):
    if not (works_with_children(request.user) and request.user.has_role(*PROFILE_ROLES)):
        raise Http404("No such page")
    params = rules_params()
    today = timezone.localdate()
    default = Period(today - timedelta(days=params.hot_spot_days - 1), today)
    form = PeriodForm(request.GET or None, initial={"first": default.first, "last": default.last})
    period = form.period(today) if form.is_bound and form.is_valid() else default
    profile = partners.local_profile(period=period, min_children=params.hot_spot_children)
    with transaction.atomic():
        audit_record(verb=Verb.REPORT_RUN, actor=request.user,
                     payload={"report": "local_profile", "format": "page", "first": period.first.isoformat(),
                              "last": period.last.isoformat()})
    sections = [
        (f"Hot spots: places and areas linked to {params.hot_spot_children} or more children", "Place or area",
         profile.hot_spots, "No place or area is linked to that many children in the period."),
        ("Vehicles", "Vehicle", profile.vehicles, "No vehicle is linked to a child in the period."),
        ("Persons of concern", "Person", profile.persons, "No person of concern is linked to a child in the period."),
    ]
    points = [maps.Point(spot.latitude, spot.longitude, spot.label, number)
              for number, spot in enumerate(profile.hot_spots, start=1) if spot.latitude is not None]
    tile_map = maps.tile_map(points, tile_url=settings.SAFEGUARD_MAP_TILE_URL,
                             attribution=settings.SAFEGUARD_MAP_ATTRIBUTION, title="Hot spots")
    return render(request, "reports/local_profile.html",
                  {"form": form, "profile": profile, "sections": sections, "map": tile_map})
