import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from safeguard.accounts.models import Agency, AgencyKind, Role, RoleGrant, User
from safeguard.audit.services import audit_verify
from tests.shared_data import SharedLayer


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    """The demo region, loaded once for the module's tests (a load takes seconds) in a transaction
    rolled back at the module's end; each test runs in its own savepoint inside it (tests/shared_data.py)."""
    layer = SharedLayer(django_db_blocker)

    def build():
        with override_settings(DEV_MODE=True):  # demo-data refuses outside development mode
            call_command("demo-data")

    layer.enter(build)
    yield
    layer.leave()


@pytest.fixture
def db(_demo_loaded, db):
    """Every test here starts from the demo region as `safeguard demo-data` first loads it."""
    return db


@pytest.fixture(autouse=True)
def _development_mode(settings):
    settings.DEV_MODE = True  # demo-data refuses outside development mode (tests/trust/test_demo_guard.py)


def test_demo_region_has_every_agency_kind_and_role_and_a_valid_audit_chain(db):
    assert set(Agency.objects.values_list("kind", flat=True)) == set(AgencyKind.values)
    assert set(RoleGrant.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.get(username="teacher").check_password("Safeguard-demo-2026")
    assert audit_verify().ok
    call_command("demo-data")  # a second run changes nothing
    assert User.objects.count() == len(set(User.objects.values_list("username", flat=True)))


def test_demo_children_are_seen_only_by_the_agencies_involved(db):
    from safeguard.access.policy import children_visible_to
    from safeguard.children.models import Child, ChronologyItem
    from safeguard.children.selectors import child_search

    teacher = User.objects.get(username="teacher")
    youthworker = User.objects.get(username="youthworker")
    mash = User.objects.get(username="mash")
    assert {c.first_name for c in children_visible_to(teacher)} >= {"Jodie", "Chloe", "Megan"}
    assert "Alex" not in {c.first_name for c in children_visible_to(teacher)}
    assert not children_visible_to(youthworker).exists()
    assert children_visible_to(mash).count() == Child.objects.count()  # children's social care sees every child
    found = child_search(user=teacher, name="Jody Smith")
    assert [m.child.full_name for m in found.visible_matches] == ["Jodie Smyth"]
    hidden = child_search(user=youthworker, name="Jody Smith")
    assert not hidden.visible_matches and hidden.hidden_match_exists
    assert ChronologyItem.objects.filter(child__first_name="Jodie").count() >= 3


def test_demo_has_a_screening_in_every_band_and_referrals_for_the_concerns(db):
    from safeguard.referrals.models import Referral
    from safeguard.screening.models import Band, FormB, Screening

    assert set(Screening.objects.values_list("band", flat=True)) == set(Band.values)
    kayleigh = Screening.objects.filter(child__first_name="Kayleigh")
    assert kayleigh.count() == 2 and kayleigh.filter(superseded_by__isnull=True).get().band == "significant"
    assert Referral.objects.filter(destination="csc", child__first_name="Jodie").exists()
    assert FormB.objects.filter(child__first_name="Jodie", status="draft").exists()
    done = FormB.objects.get(child__first_name="Kayleigh", status="complete")
    assert done.risk_level == "high" and done.panel_referral.destination == "marp"
    assert done.contributions.count() == 2 and done.safety_actions.count() == 1
    assert audit_verify().ok


def test_demo_has_referrals_in_every_state_a_lado_referral_and_a_signed_decision_not_to_refer(db):
    from safeguard.language.forms import language_flags
    from safeguard.referrals.models import ApprovalStatus, DecisionRecord, Referral, Status
    from safeguard.referrals.services import decision_verify

    assert set(Referral.objects.values_list("status", flat=True)) >= {
        Status.SENT, Status.RECEIVED, Status.ACCEPTED, Status.DECLINED, Status.OUTCOME_RECORDED
    }
    jodie = Referral.objects.get(child__first_name="Jodie", destination="csc")
    assert jodie.status == Status.OUTCOME_RECORDED and jodie.outcome
    assert Referral.objects.get(status=Status.DECLINED).outcome.startswith("Declined: ")
    lado = Referral.objects.get(destination="lado")
    assert lado.source.position_of_trust and lado.source.not_referring["allowed"] is False
    under_13 = Referral.objects.get(child__first_name="Lily")
    assert under_13.source.outcome["age_band"] == "under_13" and under_13.priority == "red"

    decision = DecisionRecord.objects.get(kind="not_refer", status="signed")
    assert decision.required_approvals == ["designated_lead"] and decision_verify(decision)
    approval = decision.approvals.get()
    assert approval.status == ApprovalStatus.APPROVED and approval.decided_by.username == "healthlead"
    assert next(a for a in decision.subject.actions if a["code"] == "REFER_CSC")["strength"] == "must"
    assert decision.child.age_on(decision.subject.activity_date) == 15 and decision.subject.partner_ages == [16]
    assert language_flags(decision.reasons) == [] and not decision.language_flags_kept
    assert audit_verify().ok


def test_demo_has_kayleigh_flagged_an_overdue_interview_children_missing_together_and_the_police_inbox(db):
    from django.utils import timezone

    from safeguard.missing.models import CoMissingLink, PoliceSubmission, ReturnInterview
    from safeguard.missing.selectors import review_list
    from safeguard.notifications.models import Notification

    now = timezone.now()
    police = User.objects.get(username="police")
    [kayleigh] = [r for r in review_list(police, now=now, period_days=90, flag_at=3) if r.child.first_name == "Kayleigh"]
    assert kayleigh.flagged and kayleigh.episodes >= 3 and kayleigh.overdue_interviews == 1
    [overdue] = ReturnInterview.objects.filter(status=ReturnInterview.Status.PENDING, due_at__lt=now)
    assert overdue.child.first_name == "Kayleigh" and overdue.interviewer.username == "earlyhelp"
    assert Notification.objects.filter(kind="return_interview_overdue", url__contains=f"/episodes/{overdue.episode_id}/",
                                       recipient__username="unitmanager").exists()
    link = CoMissingLink.objects.get()
    assert {link.episode_a.child.first_name, link.episode_b.child.first_name} == {"Kayleigh", "Jade"}
    assert {"vehicle", "place"} <= {s["kind"] for s in link.shared}
    completed = ReturnInterview.objects.get(status=ReturnInterview.Status.COMPLETED)
    assert completed.interviewer.agency != completed.episode.agency  # independent of Hillside
    assert PoliceSubmission.objects.filter(interview=completed, kind="interview_form",
                                           recipient_agency=police.agency).exists()
    assert PoliceSubmission.objects.filter(kind="profile", child__first_name="Kayleigh").exists()
    assert audit_verify().ok


def test_the_school_s_staff_have_a_record_of_every_kind_to_open(db):
    """Every page the school's staff may open has a demo record behind it (the axe scan opens each one
    as each role, tests/browser/test_accessibility_everywhere.py): an anonymised consultation, a
    draft decision not to refer waiting for the designated lead, a child missing now, a returned
    episode whose interview is still to do, a caller, a referral to the National Referral Mechanism,
    a child open at the panel and a referral waiting for the panel chair."""
    from django.utils import timezone

    from safeguard.access.policy import children_visible_to
    from safeguard.intelligence.models import NrmReferral
    from safeguard.meetings.models import PanelCase
    from safeguard.missing.models import Episode, ReturnInterview, Visitor
    from safeguard.referrals.models import ApprovalStatus, Consultation, DecisionRecord, Referral, Status
    from safeguard.referrals.selectors import approvals_inbox, may_open_approval

    call_command("demo-data")
    school = Agency.objects.get(name="Northbridge Academy")
    lead, dsl, teacher = (User.objects.get(username=u) for u in ("schoollead", "dsl", "teacher"))
    seen = {c.first_name for c in children_visible_to(lead)}
    assert {"Freya", "Chloe", "Megan", "Jodie"} <= seen and "Kayleigh" not in seen

    consultation = Consultation.objects.get(agency=school)
    assert consultation.consulted_agency.kind == AgencyKind.CSC and consultation.age_band == "13_to_15"
    decision = DecisionRecord.objects.get(child__first_name="Freya")
    assert decision.author == teacher and decision.status == "awaiting_approval" and not decision.is_signed
    [approval] = decision.approvals.all()
    assert approval.status == ApprovalStatus.PENDING and approval.role == "designated_lead"
    assert list(approvals_inbox(dsl)) == [approval] and may_open_approval(lead, approval)

    now = timezone.now()
    missing_now = Episode.objects.get(child__first_name="Megan")
    assert missing_now.returned_at is None
    interview = ReturnInterview.objects.get(child__first_name="Chloe")
    assert interview.status == ReturnInterview.Status.PENDING and interview.due_at > now
    assert interview.interviewer.username == "mash" and interview.episode.agency == school
    assert Visitor.objects.filter(child__first_name="Chloe").exists()
    assert NrmReferral.objects.get(child__first_name="Chloe").reasonable_grounds == "pending"

    assert PanelCase.objects.filter(child__first_name="Jodie", status=PanelCase.Status.OPEN).exists()
    waiting = Referral.objects.get(child__first_name="Chloe", destination="marp")
    assert waiting.status == Status.SENT and waiting.referring_agency == school
    assert audit_verify().ok


def test_no_page_is_left_out_of_the_axe_scan():
    """tests/browser/a11y_not_reached.py may only shrink, and it is empty: a page a role may open that
    the scan (make test-a11y) does not reach needs a demo record the role can see, not an entry."""
    from tests.browser.a11y_not_reached import NOT_REACHED

    assert NOT_REACHED == {}
