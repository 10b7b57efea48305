"""REST endpoints for meetings, agency reports and actions (issue 13 item 8), under the same rules
as the pages: lists come from the meetings selectors (meetings the user is invited to or runs,
actions they own or may see); one record the user may not see is 404 like one that does not exist;
writes go through the same services, with the version they started from (409 when stale)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from safeguard.access.policy import child_for_user, children_viewed_record
from safeguard.api.permissions import WorksWithChildren
from safeguard.language.serializers import LanguageCheckedSerializerMixin, keep_wording_field

from . import selectors, services
from .models import Action, AgencyReport, Decision, Invitation, Meeting


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


class MeetingInvitationSerializer(serializers.ModelSerializer):
    person = serializers.SerializerMethodField()
    agency: serializers.StringRelatedField = serializers.StringRelatedField()

    class Meta:
        model = Invitation
        fields = ["id", "person", "agency", "attendance"]

    def get_person(self, invitation: Invitation) -> str:
        return _name(invitation.user)


class MeetingReportSerializer(serializers.ModelSerializer):
    agency: serializers.StringRelatedField = serializers.StringRelatedField()
    submitted_by = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = AgencyReport
        fields = ["id", "meeting", "agency", "status", "text", "submitted_by", "submitted_at", "version", "attachments"]

    def get_submitted_by(self, report: AgencyReport) -> str:
        return _name(report.submitted_by)

    def get_attachments(self, report: AgencyReport) -> list[dict]:
        return [{"id": a.id, "name": a.name, "content_type": a.content_type, "size": a.size}
                for a in report.attachments.all()]


class MeetingDecisionSerializer(serializers.ModelSerializer):
    signed_by = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["id", "child", "kind", "decision", "reasons", "decision_makers", "corrects", "signed_by", "signed_at",
                  "content_hash"]

    def get_signed_by(self, decision: Decision) -> str:
        return _name(decision.signed_by)


class MeetingActionSerializer(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField()
    owner_agency: serializers.StringRelatedField = serializers.StringRelatedField()

    class Meta:
        model = Action
        fields = ["id", "child", "meeting", "plan", "description", "owner", "owner_agency", "due_on", "status",
                  "outcome", "closed_at", "version"]

    def get_owner(self, action: Action) -> str:
        return _name(action.owner)


class MeetingSerializer(serializers.ModelSerializer):
    children = serializers.SerializerMethodField()
    convened_by = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "kind", "status", "starts_at", "ends_at", "place", "call_details", "convened_by", "referral",
                  "follows", "children", "version"]

    def get_children(self, meeting: Meeting) -> list[int]:
        return selectors.meeting_child_ids(meeting)

    def get_convened_by(self, meeting: Meeting) -> str:
        return _name(meeting.convened_by)


class MeetingDetailSerializer(MeetingSerializer):
    invitations = serializers.SerializerMethodField()
    reports = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "minutes", "minutes_at", "agenda", "invitations", "reports",
                  "decisions", "actions"]

    def get_invitations(self, meeting: Meeting) -> Any:
        return MeetingInvitationSerializer(self.context["page"].invitations, many=True).data

    def get_reports(self, meeting: Meeting) -> Any:
        return MeetingReportSerializer(self.context["page"].reports, many=True).data

    def get_decisions(self, meeting: Meeting) -> Any:
        return MeetingDecisionSerializer(self.context["page"].decisions, many=True).data

    def get_actions(self, meeting: Meeting) -> Any:
        return MeetingActionSerializer(self.context["page"].actions, many=True).data


class MeetingReportWriteSerializer(LanguageCheckedSerializerMixin, serializers.Serializer):
    language_checked_fields = ("text",)
    text = serializers.CharField(allow_blank=True, max_length=20000)
    submit = serializers.BooleanField(default=False, help_text="Submit the report (it can then not change)")
    version = serializers.IntegerField(help_text="The version you read")
    keep_wording = keep_wording_field()


class MeetingActionCloseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[Action.Status.DONE, Action.Status.CANCELLED])
    outcome = serializers.CharField(max_length=20000)
    version = serializers.IntegerField()


class MeetingList(generics.ListAPIView):
    """Meetings the user is invited to, runs, or (panel members) every panel meeting; soonest first."""

    permission_classes = [WorksWithChildren]
    serializer_class = MeetingSerializer

    def get_queryset(self):
        return selectors.meetings_visible_to(self.request.user).select_related("convened_by").order_by("-starts_at", "-id")


class MeetingDetail(APIView):
    permission_classes = [WorksWithChildren]

    @extend_schema(responses={200: MeetingDetailSerializer})
    def get(self, request, meeting_id: int):
        meeting = selectors.meeting_for_user(request.user, meeting_id)
        page = selectors.meeting_page(meeting)
        children_viewed_record(request, list(selectors.meeting_child_ids(meeting)))
        return Response(MeetingDetailSerializer(meeting, context={"page": page}).data)


class MeetingReportDetail(APIView):
    """Read an agency report; the asked agency saves or submits it (with the version it read)."""

    permission_classes = [WorksWithChildren]

    def _report(self, request, meeting_id: int, report_id: int) -> tuple[Meeting, AgencyReport]:
        meeting = selectors.meeting_for_user(request.user, meeting_id)
        children_viewed_record(request, list(selectors.meeting_child_ids(meeting)))
        return meeting, selectors.report_for(meeting, report_id)

    @extend_schema(responses={200: MeetingReportSerializer})
    def get(self, request, meeting_id: int, report_id: int):
        return Response(MeetingReportSerializer(self._report(request, meeting_id, report_id)[1]).data)

    @extend_schema(request=MeetingReportWriteSerializer, responses={200: MeetingReportSerializer})
    def post(self, request, meeting_id: int, report_id: int):
        meeting, report = self._report(request, meeting_id, report_id)
        data = MeetingReportWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        accesses = ([child_for_user(request.user, cid, request=request, change=True)
                     for cid in selectors.meeting_child_ids(meeting)] if d["submit"] else [])
        report = services.report_save(
            actor=request.user, report=report, text=d["text"], version=d["version"], submit=d["submit"],
            accesses=accesses, language_flags_kept=d["language_flags_kept"] if d["keep_wording"] else None,
        )
        return Response(MeetingReportSerializer(report).data)


@extend_schema(parameters=[OpenApiParameter("mine", bool, description="Only my own open actions")])
class ActionList(generics.ListAPIView):
    permission_classes = [WorksWithChildren]
    serializer_class = MeetingActionSerializer

    def get_queryset(self):
        actions = selectors.actions_visible_to(self.request.user)
        if self.request.query_params.get("mine") in ("1", "true", "yes"):
            actions = actions.filter(owner=self.request.user, status=Action.Status.OPEN)
        return actions.order_by("due_on", "id")


class ActionDetail(generics.RetrieveAPIView):
    permission_classes = [WorksWithChildren]
    serializer_class = MeetingActionSerializer

    def get_object(self):
        action = selectors.action_for_user(self.request.user, self.kwargs["action_id"])
        if action.child_id is not None:
            children_viewed_record(self.request, [action.child_id])
        return action


class ActionClose(APIView):
    """Mark an action done (with its outcome) or no longer needed."""

    permission_classes = [WorksWithChildren]

    @extend_schema(request=MeetingActionCloseSerializer, responses={200: MeetingActionSerializer})
    def post(self, request, action_id: int):
        action = selectors.action_for_user(request.user, action_id)
        data = MeetingActionCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        access = child_for_user(request.user, action.child_id, request=request, change=True) if action.child_id else None
        action = services.action_close(actor=request.user, action=action, access=access, **data.validated_data)
        return Response(MeetingActionSerializer(action).data)


__all__ = ["ActionClose", "ActionDetail", "ActionList", "MeetingDetail", "MeetingList", "MeetingReportDetail"]
