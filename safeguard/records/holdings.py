"""Everything the product holds about a child, found by walking the database's own relations.

Starting from the child's row, every row that points at a row already found (by a foreign key or a
one-to-one key, hidden reverse relations included) belongs to the child's file, recursively. The
walk needs no list of apps, so a later app's records (intelligence links, meetings) are found and
disposed of as soon as they point at the child or at one of the child's records. Accounts, audit,
sessions and content types are never walked into: they are not the child's file.

The subject access bundle and disposal both use this one walk, so what a child is told is held is
exactly what disposal removes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import models

from safeguard.children.models import Child

# Apps that are not part of a child's file (the audit trail outlives it by design, ADR 19).
NOT_THE_FILE = frozenset({"accounts", "audit", "auth", "contenttypes", "sessions", "admin", "axes",
                          "otp_totp", "otp_static", "django_otp"})
# Per step of the walk, primary keys are read in chunks of this size.
_CHUNK = 500

Holdings = dict[type[models.Model], set[int]]


def _reverse_relations(model: type[models.Model]) -> Iterable[models.ForeignObjectRel]:
    for relation in model._meta.get_fields(include_hidden=True):
        if isinstance(relation, models.ForeignObjectRel) and (relation.one_to_many or relation.one_to_one):
            yield relation


def _chunks(values: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def child_holdings(child: Child) -> Holdings:
    """Every row of the child's file, by model (the child's own row and records merged into it included)."""
    found: Holdings = defaultdict(set)
    found[Child].add(child.pk)
    queue: list[tuple[type[models.Model], list[int]]] = [(Child, [child.pk])]
    while queue:
        model, pks = queue.pop()
        for relation in _reverse_relations(model):
            related = relation.related_model
            if related._meta.app_label in NOT_THE_FILE:
                continue
            field_name = relation.field.name
            new: set[int] = set()
            for chunk in _chunks(pks):
                ids = related._default_manager.filter(**{f"{field_name}__in": chunk}).values_list("pk", flat=True)
                new.update(pk for pk in ids if pk not in found[related])
            if new:
                found[related] |= new
                queue.append((related, sorted(new)))
    return dict(found)


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def counts(holdings: Holdings) -> dict[str, int]:
    """Rows per kind, for the tombstone and the audit event: counts, never content."""
    return {label(model): len(pks) for model, pks in sorted(holdings.items(), key=lambda item: label(item[0]))}
