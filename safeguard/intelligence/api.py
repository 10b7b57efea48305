"""REST endpoints for entities, links, alerts, disruption and National Referral Mechanism referrals
(issue 12 item 9). The same access rules as the pages (``safeguard.access.intelligence`` and the
child's gate); every read is audited like a child's record; writes go through the same services.
A child the caller may not see is given as "a child known to <agency>", never by name or number.
"""

from __future__ import annotations

from dataclasses import replace

from django.db.models import Q
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from safeguard.access.intelligence import (
    alert_for_user,
    alerts_visible_to,
    entities_visible_to,
    entity_for_user,
    links_visible_q,
    may_see_intelligence,
    record_intelligence_read,
)
from safeguard.access.policy import child_for_user, children_viewed_record, children_visible_to, session_key
from safeguard.api.permissions import WorksWithChildren
from safeguard.platform.versioning import etag, expected_version

from . import selectors, services
from .models import (
    EntityKind,
    Link,
    NrmReferral,
)
from .serializers import (
    AlertActionSerializer,
    IntelligenceDisruptionSerializer,
    IntelligenceEntityCreateSerializer,
    IntelligenceEntityEditSerializer,
    IntelligenceEntitySerializer,
    IntelligenceLinkCreateSerializer,
    IntelligenceNrmDecisionSerializer,
    IntelligenceNrmSerializer,
)


class Page(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


def _visible(request):
    return children_visible_to(request.user, session_key=session_key(request))


# -- serializers -----------------------------------------------------------------------------------


def _entity(entity) -> dict:
    return IntelligenceEntitySerializer(entity).data


def _link(link: Link, refs: dict) -> dict:
    ref = refs.get(link.child_id) if link.child_id else None
    return {
        "id": link.id, "kind": link.kind, "occurred_on": link.occurred_on.isoformat(),
        "entity": link.entity_id, "other": link.other_id,
        "child": ({"id": ref.child_id, "name": ref.label} if ref and ref.visible
                  else {"id": None, "name": ref.label} if ref else None),
        "grading": link.grading, "source_evaluation": link.source_evaluation, "assessment": link.assessment,
        "handling": link.handling, "handling_conditions": link.handling_conditions,
        "shared_with": [a.pk for a in link.shared_with.all()] if link.conditional else [],
        "conditional": link.conditional, "source_kind": link.source_kind, "notes": link.notes,
        "agency": str(link.agency) if link.agency_id else "",
    }


def _disruption(d) -> dict:
    return {"id": d.id, "entity": d.entity_id, "action": d.action, "occurred_on": d.occurred_on.isoformat(),
            "agency": str(d.agency), "outcome": d.outcome, "review_on": d.review_on.isoformat() if d.review_on else None,
            "alert": d.alert_id, "version": d.version}


def _nrm(r: NrmReferral) -> dict:
    return {
        "id": r.id, "child": r.child_id, "referred_on": r.referred_on.isoformat(), "first_responder": str(r.first_responder),
        "reference": r.reference, "summary": r.summary, "reasonable_grounds": r.reasonable_grounds,
        "reasonable_grounds_on": r.reasonable_grounds_on.isoformat() if r.reasonable_grounds_on else None,
        "conclusive_grounds": r.conclusive_grounds,
        "conclusive_grounds_on": r.conclusive_grounds_on.isoformat() if r.conclusive_grounds_on else None,
        "version": r.version,
    }


def _alert(a, children=None) -> dict:
    data = {"id": a.id, "pattern": a.pattern, "title": a.title, "raised_at": a.raised_at.isoformat(),
            "entity": a.entity_id, "network": a.network_id}
    if children is not None:
        data["children"] = [{"id": c.child_id if c.visible else None, "name": c.label} for c in children]
    return data


# -- entities --------------------------------------------------------------------------------------


@extend_schema(parameters=[OpenApiParameter("q", str, description="Registration, phone, handle, postcode or name"),
                           OpenApiParameter("kind", str, enum=EntityKind.values)])
class EntityListCreate(APIView):
    """Entities the caller may see (search with ``q``), or record one; an existing key lands on the
    existing entity (200), a new one is 201; a person with likely matches is 409 with the matches."""

    permission_classes = [WorksWithChildren]

    @extend_schema(responses={200: IntelligenceEntitySerializer(many=True)})
    def get(self, request):
        query, kind = request.query_params.get("q", ""), request.query_params.get("kind", "")
        if kind and kind not in EntityKind.values:
            raise ApiValidationError({"kind": ["Choose one of " + ", ".join(EntityKind.values)]})
        if query:
            found = selectors.entity_search(user=request.user, query=query, kind=kind, limit=50,
                                            children=_visible(request))
            record_intelligence_read(request.user, None, "api_search", request=request)
            return Response([_entity(e) for e in found])
        entities = entities_visible_to(request.user, children=_visible(request)).order_by("kind", "label", "pk")
        if kind:
            entities = entities.filter(kind=kind)
        paginator = Page()
        page = paginator.paginate_queryset(entities, request, view=self)
        record_intelligence_read(request.user, None, "api_entities", request=request)
        return paginator.get_paginated_response([_entity(e) for e in page or []])

    @extend_schema(request=IntelligenceEntityCreateSerializer, responses={201: IntelligenceEntitySerializer})
    def post(self, request):
        data = IntelligenceEntityCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        confirm = d.pop("confirm_new_person")
        d.pop("keep_wording", None)
        d.pop("language_flags_kept", None)
        outcome = services.entity_save(actor=request.user, data=services.EntityData(**d), confirm_new_person=confirm)
        if outcome.entity is None:
            return Response(
                {"detail": "This may be someone already recorded: use one of these, or send confirm_new_person.",
                 "likely_matches": [{"score": m.score, **_entity(m.entity)} for m in outcome.likely_matches]},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(_entity(outcome.entity), status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK)


class EntityDetail(APIView):
    """One entity with the links the caller may see and its disruption actions (``ETag``: its
    version). PUT or PATCH change what is recorded about it, as its page does: the same people may,
    a stale ``version`` (or ``If-Match``) is 409 with both versions, and a registration, number,
    handle or address another record of the kind already has is 409 naming that record."""

    permission_classes = [WorksWithChildren]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, entity_id: int):
        entity = entity_for_user(request.user, entity_id, request=request, record_view=True)
        rows = selectors.links_for_entity(user=request.user, entity=entity, children=_visible(request), export=True)
        refs = {r.link.child_id: r.child for r in rows if r.child is not None}
        children_viewed_record(request, [child_id for child_id, ref in refs.items() if ref.visible])
        return Response({
            **_entity(entity),
            "links": [_link(r.link, refs) for r in rows],
            "disruptions": [_disruption(d) for d in selectors.disruptions_for_entity(entity)],
        }, headers={"ETag": etag(entity)})

    def _change(self, request, entity_id: int, *, partial: bool) -> Response:
        # The answer shows the record (and a stale one, the record as saved now): a read, audited.
        entity = entity_for_user(request.user, entity_id, request=request, record_view=True)
        body = IntelligenceEntityEditSerializer(data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        sent = dict(body.validated_data)
        version = expected_version(request, sent)
        for name in ("version", "keep_wording", "language_flags_kept"):
            sent.pop(name, None)
        base = services.entity_data_of(entity) if partial else services.EntityData(kind=entity.kind)
        try:
            updated = services.entity_update(actor=request.user, entity=entity, version=version,
                                             data=replace(base, **sent))
        except services.KeyTaken as taken:
            return Response({"detail": next(iter(taken.message_dict.values()))[0], **taken.message_dict,
                             "existing": taken.existing.pk}, status=status.HTTP_409_CONFLICT)
        return Response(_entity(updated), headers={"ETag": etag(updated)})

    @extend_schema(request=IntelligenceEntityEditSerializer,
                   responses={200: IntelligenceEntitySerializer, 400: None, 409: None})
    def put(self, request, entity_id: int):
        return self._change(request, entity_id, partial=False)

    @extend_schema(request=IntelligenceEntityEditSerializer,
                   responses={200: IntelligenceEntitySerializer, 400: None, 409: None})
    def patch(self, request, entity_id: int):
        return self._change(request, entity_id, partial=True)


# -- links -----------------------------------------------------------------------------------------


@extend_schema(parameters=[OpenApiParameter("child", int), OpenApiParameter("entity", int)])
class LinkListCreate(APIView):
    """Links the caller may see (by ``child`` or ``entity``), or record one: a child and an entity
    (``child``, ``entity``) or two entities (``entity``, ``other``). Pattern alerts raised by the
    link are in the answer."""

    permission_classes = [WorksWithChildren]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        child, entity = request.query_params.get("child", ""), request.query_params.get("entity", "")
        if not (child.isdigit() or entity.isdigit()):
            raise ApiValidationError({"detail": ["Give a child or an entity (a record number)"]})
        condition = Q()
        if child.isdigit():
            access = child_for_user(request.user, child, request=request, record_view=True)
            condition &= Q(child=access.child)
        if entity.isdigit():
            found = entity_for_user(request.user, entity, request=request, record_view=True)
            condition &= (Q(entity=found) | Q(other=found)) & links_visible_q(request.user, children=_visible(request))
        # An answer that leaves the product: code C links outside their conditions are left out.
        condition &= selectors.links_exportable_q(request.user)
        links = (Link.objects.filter(condition).select_related("agency").prefetch_related("shared_with")
                 .order_by("-occurred_on", "-id"))
        paginator = Page()
        page = paginator.paginate_queryset(links, request, view=self) or []
        refs = selectors.child_refs(request.user, {lk.child_id for lk in page if lk.child_id}, children=_visible(request))
        return paginator.get_paginated_response([_link(lk, refs) for lk in page])

    @extend_schema(request=IntelligenceLinkCreateSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        data = IntelligenceLinkCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        entity = selectors.entity_search_one(user=request.user, entity_id=d["entity"])
        if entity is None:
            raise NotFound("Not found.")
        details = services.LinkDetails(
            kind=d["kind"], occurred_on=d["occurred_on"], notes=d["notes"],
            grading=services.Grading(d["source_evaluation"], d["assessment"], d["handling"], d["handling_conditions"],
                                     tuple(a.pk for a in d["shared_with"])),
        )
        if (d["child"] is None) == (d["other"] is None):
            raise ApiValidationError({"detail": ["Give either a child or another entity to link to"]})
        if d["child"] is not None:
            access = child_for_user(request.user, d["child"], request=request, change=True)
            outcome = services.link_child(access=access, entity=entity, details=details,
                                          language_flags_kept=d["language_flags_kept"] if d["keep_wording"] else None)
        else:
            other = selectors.entity_search_one(user=request.user, entity_id=d["other"])
            if other is None:
                raise NotFound("Not found.")
            outcome = services.link_entities(actor=request.user, entity=entity, other=other, details=details)
        refs = selectors.child_refs(request.user, {outcome.link.child_id} if outcome.link.child_id else set())
        return Response({**_link(outcome.link, refs), "alerts": [_alert(a) for a in outcome.alerts]},
                        status=status.HTTP_201_CREATED)


# -- alerts ----------------------------------------------------------------------------------------


class AlertList(APIView):
    permission_classes = [WorksWithChildren]

    @extend_schema(operation_id="intelligence_alerts_list", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        if not may_see_intelligence(request.user):
            raise NotFound("Not found.")
        paginator = Page()
        page = paginator.paginate_queryset(alerts_visible_to(request.user).order_by("-raised_at", "-id"), request,
                                           view=self) or []
        record_intelligence_read(request.user, None, "api_alerts", request=request)
        return paginator.get_paginated_response([_alert(a) for a in page])


class AlertDetail(APIView):
    permission_classes = [WorksWithChildren]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, alert_id: int):
        alert = alert_for_user(request.user, alert_id, request=request, record_view=True)
        services.alert_viewed(user=request.user, alert=alert)
        detail = selectors.alert_detail(user=request.user, alert=alert, children=_visible(request))
        children_viewed_record(request, [c.child_id for c in detail.children if c.visible])
        return Response({**_alert(alert, detail.children),
                         "actions": [{"text": a.text, "by": str(a.by), "agency": str(a.agency or ""),
                                      "at": a.at.isoformat()} for a in detail.actions]})


class AlertActionCreate(APIView):
    permission_classes = [WorksWithChildren]

    @extend_schema(request=AlertActionSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, alert_id: int):
        alert = alert_for_user(request.user, alert_id, request=request)
        data = AlertActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action = services.alert_action_record(user=request.user, alert=alert, text=data.validated_data["text"])
        return Response({"text": action.text, "at": action.at.isoformat()}, status=status.HTTP_201_CREATED)


# -- disruption ------------------------------------------------------------------------------------


class DisruptionListCreate(APIView):
    """An entity's disruption actions (§15), or record one (police, children's social care, named
    leads, the panel)."""

    permission_classes = [WorksWithChildren]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, entity_id: int):
        entity = entity_for_user(request.user, entity_id, request=request, record_view=True)
        return Response([_disruption(d) for d in selectors.disruptions_for_entity(entity)])

    @extend_schema(request=IntelligenceDisruptionSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, entity_id: int):
        entity = entity_for_user(request.user, entity_id, request=request)
        data = IntelligenceDisruptionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        alert = alert_for_user(request.user, d["alert"]) if d["alert"] else None
        disruption = services.disruption_record(
            actor=request.user, entity=entity, alert=alert,
            details=services.DisruptionDetails(d["action"], d["occurred_on"], d["outcome"], d["review_on"]),
            language_flags_kept=d["language_flags_kept"] if d["keep_wording"] else None,
        )
        return Response(_disruption(disruption), status=status.HTTP_201_CREATED)


# -- the National Referral Mechanism ---------------------------------------------------------------


class NrmListCreate(APIView):
    permission_classes = [WorksWithChildren]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, child_id: int):
        access = child_for_user(request.user, child_id, request=request, record_view=True)
        return Response([_nrm(r) for r in selectors.nrm_for_child(access.child)])

    @extend_schema(request=IntelligenceNrmSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, child_id: int):
        access = child_for_user(request.user, child_id, request=request, change=True)
        data = IntelligenceNrmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        referral = services.nrm_refer(access=access, details=services.NrmDetails(d["referred_on"], d["summary"],
                                                                                 d["reference"]),
                                      language_flags_kept=d["language_flags_kept"] if d["keep_wording"] else None)
        return Response(_nrm(referral), status=status.HTTP_201_CREATED)


class NrmDecision(APIView):
    permission_classes = [WorksWithChildren]

    @extend_schema(request=IntelligenceNrmDecisionSerializer, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, nrm_id: int):
        referral = NrmReferral.objects.filter(pk=nrm_id).first()
        if referral is None:
            raise Http404("No such record")
        access = child_for_user(request.user, referral.child_id, request=request, change=True)
        data = IntelligenceNrmDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.nrm_decision_record(access=access, referral=referral, **data.validated_data)
        return Response(_nrm(updated))
