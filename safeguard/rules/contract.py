"""The JSON interface of the rules (contracts.md): one JSON object in, one JSON object out.

``run(command, raw_json, params)`` returns ``(exit_status, body)``: 0 with the outcome, or 2 with
``{"error": "<plain words>", "field": "<path or null>"}`` for input that is not valid. It never
raises for bad input. The ``safeguard rules`` management command is a thin shell around it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from safeguard.rules import language, return_interview, screening, sexual_activity
from safeguard.rules._common import RulesInputError
from safeguard.rules.params import Params

__all__ = ["COMMANDS", "run"]

INPUT_ERROR = 2


def _reject_constant(name: str) -> Any:
    raise RulesInputError(f"{name} is not a valid JSON number")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise RulesInputError(f"{key!r} appears twice in one object", key)
        result[key] = value
    return result


def _parse(raw_json: str) -> dict[str, Any]:
    try:
        data = json.loads(raw_json, object_pairs_hook=_unique_keys, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise RulesInputError(
            f"malformed JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except RecursionError:
        raise RulesInputError("malformed JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise RulesInputError("the input must be one JSON object")
    return data


def _fields(data: Mapping[str, Any], required: tuple[str, ...], optional: tuple[str, ...]) -> None:
    """Unknown fields are an error (so a typo is not ignored); required fields must be present."""
    for key in data:
        if key not in required and key not in optional:
            raise RulesInputError(f"unknown field {key!r}", key)
    for key in required:
        if key not in data:
            raise RulesInputError(f"{key} is required", key)


def _screening(data: dict[str, Any], params: Params) -> dict[str, Any]:
    _fields(data, ("ticked",), ("evidence",))
    if not isinstance(data["ticked"], list):
        raise RulesInputError("ticked must be a list of codes", "ticked")
    evidence = data.get("evidence")
    if evidence is not None and not isinstance(evidence, dict):
        raise RulesInputError("evidence must be an object mapping ticked codes to text", "evidence")
    return screening.evaluate(data["ticked"], evidence, params).to_dict()


def _sexual_activity(data: dict[str, Any], params: Params) -> dict[str, Any]:
    _fields(data, ("child_age",), ("partner_ages", "criteria", *sexual_activity.BOOLEAN_INPUTS))
    if not isinstance(data.get("partner_ages", []), list):
        raise RulesInputError("partner_ages must be a list of whole numbers or null", "partner_ages")
    if not isinstance(data.get("criteria", {}), dict):
        raise RulesInputError('criteria must be an object such as {"C1": "yes"}', "criteria")
    given = sexual_activity.SexualActivityInput(**data)
    return sexual_activity.evaluate(given, params).to_dict()


def _returned_at(value: Any) -> datetime:
    if not isinstance(value, str):
        raise RulesInputError("returned_at must be an ISO 8601 date and time with offset", "returned_at")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RulesInputError(
            "returned_at must be an ISO 8601 date and time with offset, e.g. 2026-03-01T18:00:00+00:00",
            "returned_at",
        ) from None
    return moment


def _return_interview(data: dict[str, Any], params: Params) -> dict[str, Any]:
    _fields(data, ("missing_from", "returned_at", "duration_hours"), return_interview.FLAG_INPUTS)
    episode = return_interview.ReturnInterviewInput(
        **{**data, "returned_at": _returned_at(data["returned_at"])}
    )
    return return_interview.evaluate(episode, params).to_dict()


def _language(data: dict[str, Any], params: Params) -> dict[str, Any]:
    _fields(data, ("text",), ())
    if not isinstance(data["text"], str):
        raise RulesInputError("text must be a string", "text")
    return language.evaluate(data["text"]).to_dict()


COMMANDS: dict[str, Callable[[dict[str, Any], Params], dict[str, Any]]] = {
    "screening": _screening,
    "sexual-activity": _sexual_activity,
    "return-interview": _return_interview,
    "language": _language,
}


def run(command: str, raw_json: str, params: Params) -> tuple[int, dict[str, Any]]:
    """Evaluate one JSON document with the named rules: (0, outcome) or (2, error)."""
    handler = COMMANDS.get(command)
    if handler is None:
        return INPUT_ERROR, {
            "error": f"unknown command {command!r}; commands are {', '.join(COMMANDS)}",
            "field": None,
        }
    try:
        return 0, handler(_parse(raw_json), params)
    except RulesInputError as error:
        return INPUT_ERROR, {"error": error.message, "field": error.field}
