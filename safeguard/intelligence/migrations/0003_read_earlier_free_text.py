"""Read the people, places, vehicles and phones written as free text before intelligence existed.

What can be read unambiguously becomes entities and links (source "read from earlier free text",
grading 2/C/P): current-style registrations in vehicle fields and phone numbers in phone fields,
each on its normalised key. Every field that is not read in full (names, places, addresses, a
vehicle without a whole registration) goes on the "to review" list for the named leads of the
agency that wrote it. The links are joined into networks here; no alert is raised for them (they
are old news: the review list is how a named lead picks them up). See docs/intelligence.md.
"""

from django.db import migrations
from django.utils import timezone

from safeguard.intelligence.keys import phone_display, phones_in, registrations_in

# (app, model, field, what the field holds, the link's kind, when it happened)
FIELDS = [
    ("children", "observation", "vehicles", "vehicle", "seen_with", "occurred_at"),
    ("children", "observation", "people", "text", "", "occurred_at"),
    ("children", "observation", "places", "text", "", "occurred_at"),
    ("missing", "episode", "vehicles", "vehicle", "picked_up_by", "returned_at"),
    ("missing", "episode", "phones", "phone", "called_by", "returned_at"),
    ("missing", "episode", "who_with", "text", "", "returned_at"),
    ("missing", "episode", "names_mentioned", "text", "", "returned_at"),
    ("missing", "episode", "addresses", "text", "", "returned_at"),
    ("missing", "episode", "found_where", "text", "", "returned_at"),
    ("missing", "visitor", "vehicle", "vehicle", "visited", "occurred_at"),
    ("missing", "visitor", "phone", "phone", "called_by", "occurred_at"),
]
BATCH = 500


def _read(text, holds):
    """(keys found, fully read?) for one field's text."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if holds == "vehicle":
        found = registrations_in(text)
        return found, bool(lines) and all(registrations_in(line) for line in lines)
    if holds == "phone":
        found = phones_in(text)
        return found, bool(lines) and all(phones_in(line) for line in lines)
    return [], False


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Entity = apps.get_model("intelligence", "Entity")
    Link = apps.get_model("intelligence", "Link")
    Network = apps.get_model("intelligence", "Network")
    NetworkMember = apps.get_model("intelligence", "NetworkMember")
    FreeTextReview = apps.get_model("intelligence", "FreeTextReview")
    entities = {}
    edges = []  # (child id, entity id)
    for app_label, model_name, field, holds, kind, when in FIELDS:
        model = apps.get_model(app_label, model_name)
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model_name)
        recorder = "return_recorded_by" if model_name == "episode" else "recorded_by"
        columns = ["pk", "child_id", field, when, recorder, "agency_id"]
        if model_name == "episode":
            columns.append("last_seen_at")  # an episode with no return yet
        rows = model.objects.exclude(**{field: ""}).values_list(*columns)
        for pk, child_id, text, moment, recorded_by, agency_id, *fallback in rows.iterator(chunk_size=BATCH):
            found, complete = _read(text, holds)
            day = timezone.localtime(moment or fallback[0]).date()
            for key in found:
                entity = entities.get((holds, key))
                if entity is None:
                    label = phone_display(key) if holds == "phone" else key
                    entity, _ = Entity.objects.get_or_create(kind=holds, key=key, defaults={
                        "label": label, "registration": key if holds == "vehicle" else "",
                        "created_by_id": recorded_by, "created_agency_id": agency_id,
                    })
                    entities[(holds, key)] = entity
                Link.objects.create(
                    kind=kind, child_id=child_id, entity=entity, occurred_on=day, source_kind="migrated",
                    source_type=content_type, source_id=pk, source_evaluation="2", assessment="C", handling="P",
                    recorded_by_id=recorded_by, agency_id=agency_id,
                )
                edges.append((child_id, entity.pk))
            if not complete:
                FreeTextReview.objects.get_or_create(
                    source_type=content_type, source_id=pk, field=field,
                    defaults={"child_id": child_id, "text": text, "agency_id": agency_id},
                )
    _networks(edges, Network, NetworkMember)


def _networks(edges, Network, NetworkMember):
    """Join the new links into networks (union-find over child and entity nodes)."""
    parent = {}

    def find(node):
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for child_id, entity_id in edges:
        a, b = find(("c", child_id)), find(("e", entity_id))
        if a != b:
            parent[a] = b
    groups = {}
    for node in list(parent):
        groups.setdefault(find(node), []).append(node)
    for nodes in groups.values():
        children = sum(1 for kind, _ in nodes if kind == "c")
        network = Network.objects.create(size=len(nodes), children=children)
        NetworkMember.objects.bulk_create([
            NetworkMember(network=network, child_id=pk) if kind == "c" else NetworkMember(network=network, entity_id=pk)
            for kind, pk in nodes
        ], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("intelligence", "0002_name_search_indexes"),
        ("children", "0007_chronology_kind_intelligence"),
        ("missing", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
