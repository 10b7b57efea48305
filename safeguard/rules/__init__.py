"""The handbook's rules in plain Python: no Django, no clock, no I/O beyond the package's own tables.

Modules: ``screening`` (Form A, §16), ``sexual_activity`` (§9), ``return_interview`` (§14.1),
``language`` (§8), ``params`` (local-policy thresholds), ``contract`` (the JSON interface behind
``safeguard rules``), ``docs`` (renders docs/rules.md). Every outcome records ``RULES_VERSION``.
"""

from safeguard.rules._common import RULES_VERSION, Reason, RulesInputError
from safeguard.rules.params import Params

__all__ = ["RULES_VERSION", "Params", "Reason", "RulesInputError"]
