"""The handbook's rules in plain Python: no Django, no clock, no I/O beyond the package's own tables.

Modules: ``screening`` (Form A, §16), ``sexual_activity`` (§9), ``return_interview`` (§14.1),
``language`` (§8), ``not_referring`` (who approves not referring, §9.5, §9.7),
``referral_priority`` (a referral's RAG priority, §12), ``form_b_risk`` (the suggested Form B risk
level, §13), ``interviewer`` (an independent return interviewer, §14.1), ``params`` (local-policy thresholds), ``contract`` (the JSON interface behind
``safeguard rules``), ``docs`` (renders docs/rules.md). Every outcome records ``RULES_VERSION``.
"""

from safeguard.rules._common import RULES_VERSION, Reason, RulesInputError
from safeguard.rules.params import Params

__all__ = ["RULES_VERSION", "Params", "Reason", "RulesInputError"]
