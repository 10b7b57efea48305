"""Render docs/rules.md: every item, rule and threshold with its § reference and the rules version.

Generated from the tables and :class:`Params` so that a safeguarding lead can audit the rules
without reading code. ``safeguard rules docs --write`` writes it; ``--check`` fails when stale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any

from safeguard.rules import language, return_interview, screening
from safeguard.rules._common import RULES_VERSION
from safeguard.rules._tables import load
from safeguard.rules.params import Params

__all__ = ["render_markdown"]


# How the outcome's wording placeholders read in the documentation.
_PLACEHOLDERS = {"child_age": "N", "older_partners": "M", "concerns": "Cause for concern under C…"}


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(header: tuple[str, ...], rows: Sequence[tuple[Any, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return [*lines, ""]


def _params(params: Params) -> list[str]:
    rows = [
        (
            f"`{spec.name}`",
            getattr(params, spec.name),
            spec.default,
            spec.metadata["doc"],
            f"§{spec.metadata['section']}",
        )
        for spec in fields(Params)
    ]
    return [
        "## Local-policy thresholds",
        "",
        "Set in the Django setting `SAFEGUARD_RULES` (environment variables `SAFEGUARD_RULE_<NAME>`); "
        "a missing key takes the default.",
        "",
        *_table(("setting", "in force", "default", "meaning", "§"), rows),
    ]


def _screening(params: Params) -> list[str]:
    table = load("screening")
    groups = table["groups"]
    threshold = table["form_b_threshold"]
    lines = [
        f"## Form A: CSE Initial Screening Tool (§{table['section']})",
        "",
        "Item labels are the official form's. Codes are stable: data, the API and tests use them.",
        "",
        *_table(
            ("code", "group", "label", "§"),
            [
                (item.code, groups[item.group]["title"], item.label, f"§{item.section}")
                for item in screening.form_a_items()
            ],
        ),
        f"**Form B rule (§{threshold['section']}):** Form B is required when {threshold['risk']} or more risk "
        f"indicators or {threshold['significant']} or more significant risk indicators are ticked. "
        "Vulnerabilities alone never trigger it.",
        "",
        "**Bands** (design decision): the first band, from the top, whose minimums are met applies. "
        "Duplicated or unknown codes are an error.",
        "",
    ]
    rows = []
    for band in table["bands"]:
        minimums = [
            f"{band[key]}+ {label}"
            for key, label in (("min_significant", "S"), ("min_risk", "R"), ("min_ticked", "ticked"))
            if key in band
        ]
        actions = ", ".join(f"`{a}`" for a in band["actions"]) or "none"
        rows.append(
            (
                f"`{band['band']}`",
                " and ".join(minimums) or "nothing ticked",
                band["form_b_required"],
                actions,
                band["meaning"],
                f"§{band['section']}",
            )
        )
    lines += _table(("band", "when", "Form B", "actions", "meaning", "§"), rows)
    lines += [
        f"`SET_REVIEW` sets the review {params.screening_review_days} days ahead (`screening_review_days`).",
        "",
    ]
    lines += _table(
        ("action", "meaning", "§"),
        [(f"`{code}`", spec["text"], f"§{spec['section']}") for code, spec in table["actions"].items()],
    )
    return lines


def _form_b() -> list[str]:
    groups = load("form_b")["groups"]
    return [
        "## Form B codes: signs and indicators (§5), push, vulnerability and pull factors (§6)",
        "",
        *_table(
            ("code", "group", "text", "§"),
            [
                (i.code, groups[i.group]["title"], i.text, f"§{i.section}")
                for i in screening.indicator_catalogue()
            ],
        ),
    ]


def _sexual_activity(params: Params) -> list[str]:
    table = load("sexual_activity")
    lines = [
        "## Underage sexual activity (§9)",
        "",
        "### Age bands (§9.1)",
        "",
        *_table(
            ("band", "ages", "meaning", "§"),
            [
                (f"`{b['code']}`", f"{b['min']}–{b['max']}", b["text"], f"§{b['section']}")
                for b in table["age_bands"]
            ],
        ),
        f"### Assessment criteria (§{table['criteria']['section']})",
        "",
        "Each is answered `yes`, `no` or `unknown`; a criterion not answered is `unknown`.",
        "",
        *_table(("code", "criterion"), list(table["criteria"]["text"].items())),
        "Criteria the rules answer `yes` themselves:",
        "",
        *_table(
            ("code", "when", "§"),
            [(code, spec["text"], f"§{spec['section']}") for code, spec in table["derived_criteria"].items()],
        ),
        "### Considerable age difference (§9.2, design decision)",
        "",
        f"- Child under 16: a partner aged {params.under16_partner_adult_age} or over "
        f"(`under16_partner_adult_age`), or {params.under16_age_gap_years} or more years older "
        "(`under16_age_gap_years`).",
        f"- Child of 16 or 17: a partner {params.over16_age_gap_years} or more years older (`over16_age_gap_years`).",
        "- An unknown partner age is never treated as no difference.",
        "",
        "### Rules",
        "",
        "A rule applies when all its conditions hold (`!` means not). Each action code appears once "
        f"in an outcome, with the strongest strength ({' > '.join(table['strengths']['order'])}) any "
        "applying rule gives it. A decision not to refer is not allowed if any applying rule says so; "
        "otherwise it requires everything the applying rules require, and always `reasons`.",
        "",
    ]
    rows = []
    for rule in table["rules"]:
        actions = "; ".join(
            f"`{a['code']}` {a['strength']} (§{a['section']})" for a in rule.get("actions", ())
        )
        not_referring = []
        if rule.get("not_referring_allowed", True) is False:
            not_referring.append("not allowed")
        if rule.get("not_referring_requires"):
            not_referring.append("requires " + ", ".join(f"`{r}`" for r in rule["not_referring_requires"]))
        if rule.get("not_referring_exceptional"):
            not_referring.append("exceptional")
        notes = " ".join(
            f"{n['text'].format(**_PLACEHOLDERS)} (§{n['section']})" for n in rule.get("notes", ())
        )
        rows.append(
            (
                rule["id"],
                rule["title"],
                ", ".join(f"`{c}`" for c in rule["when"]),
                "yes" if rule.get("offence") else "",
                actions,
                "; ".join(not_referring),
                notes,
                f"§{rule['section']}",
            )
        )
    lines += _table(("rule", "title", "when", "offence", "actions", "not referring", "notes", "§"), rows)
    lines += _table(("action", "meaning"), [(f"`{code}`", text) for code, text in table["actions"].items()])
    lines += _table(
        ("not-referring requirement", "meaning"),
        [(f"`{code}`", text) for code, text in table["not_referring_requirements"].items()],
    )
    return lines


def _return_interview(params: Params) -> list[str]:
    table = load("return_interview")
    care = table["required_when_missing_from"]["care"]
    return [
        f"## Return interviews (§{table['section']})",
        "",
        f"- Required: {care['text']} (§{care['section']}), or when any priority reason holds.",
        f"- Otherwise offered: {table['offer']['text']} (§{table['offer']['section']}, design decision).",
        f"- Due by: the return time plus {params.return_interview_due_hours} hours "
        f"(`return_interview_due_hours`, §{table['due']['section']}, design decision).",
        f"- `over_24_hours` holds for strictly more than {table['over_hours']['hours']} hours.",
        f"- `cse_risk` also holds, without anyone ticking it, for {table['cse_risk']['text']}.",
        "",
        *_table(
            ("priority reason", "meaning", "§"),
            [(f"`{r['code']}`", r["text"], f"§{r['section']}") for r in table["priority_reasons"]],
        ),
        f"Missing from: {', '.join(f'`{m}`' for m in return_interview.MISSING_FROM)}.",
        "",
    ]


def _language() -> list[str]:
    table = load("language")
    return [
        f"## Language and labelling (§{table['section']})",
        "",
        "A flag is a prompt, not a block. Matching is case-insensitive, at word boundaries, with "
        "inflections and hyphen/space variants. Nothing inside quotation marks (\"…\", “…”, ‘…’, '…') "
        "is flagged. `boyfriend`/`girlfriend` are flagged only where the text shows an older or adult "
        "partner (see `safeguard/rules/language.py`).",
        "",
        *_table(
            ("code", "flags", "why", "suggest instead", "examples flagged"),
            [
                (f"`{f['code']}`", f["flag"], f["why"], f["suggestion"], "; ".join(f["examples"]))
                for f in table["families"]
            ],
        ),
        f"Codes: {', '.join(f'`{code}`' for code in language.CODES)}.",
        "",
    ]


def _when(row: Mapping[str, Any]) -> str:
    facts = row.get("when", ())
    return " and ".join(f"`{fact}`" for fact in facts) or "otherwise"


def _decision_tables() -> list[str]:
    """The small decision tables: first matching row wins, every row named by its code."""
    nr, rp, fb, ri = load("not_referring"), load("referral_priority"), load("form_b_risk"), load("interviewer")
    roles = nr["roles"]
    escalators = ", ".join(fb["escalators"].values()) + f", {fb['trafficking']['text']}"
    levels = []
    for row in fb["levels"]:
        when = [f"{row[key]}+ {label}" for key, label in (("min_significant", "S"), ("min_escalators", "escalators"))
                if key in row]
        if "screening_bands" in row:
            when.append("screening band " + " or ".join(f"`{band}`" for band in row["screening_bands"]))
        levels.append((row["code"], " and ".join(when) or "otherwise", f"`{row['level']}`", row["text"],
                       f"§{row['section']}"))
    return [
        f"## Decisions not to refer: who approves (§{nr['section']})",
        "",
        "Rows are read from the top; the first whose facts all hold applies. `under_13` is a child under "
        f"{nr['under_age']} on the day, when the decision relies on no assessment.",
        "",
        *_table(
            ("code", "when", "allowed", "approved by", "exceptional", "why", "§"),
            [(row["code"], _when(row), row["allowed"], ", ".join(roles[r] for r in row["approvals"]) or "nobody",
              row["exceptional"], row["text"], f"§{row['section']}") for row in nr["rows"]],
        ),
        f"## Referral priority: red, amber or green (§{rp['section']})",
        "",
        "The priority a referral starts with; the receiving team may change it on receipt. The first row "
        "for the referral's source (`any` matches every source) whose facts all hold applies.",
        "",
        *_table(
            ("code", "source", "when", "priority", "why", "§"),
            [(row["code"], f"`{row['source']}`", _when(row), f"`{row['priority']}`", row["text"],
              f"§{row['section']}") for row in rp["rows"]],
        ),
        f"## Form B: the suggested risk level (§{fb['section']}, design decision)",
        "",
        f"The practitioner's choice is what counts; the suggestion shows why. Escalators: {escalators}. "
        "The first row from the top whose minimums all hold applies.",
        "",
        *_table(("code", "when", "level", "meaning", "§"), levels),
        f"## Return interviews: an independent interviewer (§{ri['section']})",
        "",
        *_table(
            ("code", "when", "independent", "why", "§"),
            [(row["code"], _when(row), row["independent"], row["text"], f"§{row['section']}") for row in ri["rows"]],
        ),
    ]


def render_markdown(params: Params) -> str:
    """The text of docs/rules.md for these thresholds."""
    lines = [
        "# Safeguard rules",
        "",
        "<!-- Generated by `safeguard rules docs --write` from safeguard/rules/tables. Do not edit. -->",
        "",
        f"Rules version **{RULES_VERSION}**. Every outcome records the version it used. § numbers "
        "refer to the multi-agency CSE handbook.",
        "",
        *_params(params),
        *_screening(params),
        *_form_b(),
        *_sexual_activity(params),
        *_return_interview(params),
        *_decision_tables(),
        *_language(),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"
