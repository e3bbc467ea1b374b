"""Checks on returns: the zone's declarative rules (`catalogue.rules_for`) run over a batch.

`evaluate(zone, items)` takes `(key, enterprise, period, data)` items — one for a form's live
check, 100,000 for an import — and answers {key: [Problem, …]} for every key. It reads what the
rules need in a constant number of queries whatever the batch size: the rules, the indicators they
name, the accepted values (`ReturnValue`) of the enterprises' previous reporting months and of the
same month last year, and for peer rules the accepted values of the period of the zone's other
enterprises with their industry division and scale. The batch's own items count as history too:
an import of several months checks each month against the one before it; an item replaces the
accepted values of its enterprise and period.

Modules: `rules` (the rules prepared, `Problem`), `history` (accepted values), `peers` (peer
medians), `run` (the loop; each rule kind is described there), `messages` (what a failure says).
"""

from .rules import Problem, explanation_needed
from .run import evaluate

__all__ = ["Problem", "evaluate", "explanation_needed"]
