"""Whether a cue found in a message describes something happening now.

"Dor no peito" is an emergency; "reembolso da consulta de dor no peito", "teve dor no peito ano
passado", "o plano cobre dor no peito?" and "não é dor no peito" are not. Each check below is
deliberately local (the clause, or the words just before), because members pack several things
into one message: "teve febre semana passada e agora desmaiou".
"""

from collections.abc import Sequence
from dataclasses import dataclass

from bot.signals.phrases import Match
from bot.signals.text import Token
from bot.signals.writing import Writing


@dataclass(frozen=True)
class Markers:
    """Where the context phrases of one message are."""

    past: Sequence[Match]  # "semana passada": clears a cue in its clause, before or after it
    hypothetical: Sequence[Match]  # "em caso de", "cobre": clears a cue later in its clause
    billing: Sequence[Match]  # "reembolso do": clears a cue later in its clause
    resolved: Sequence[Match]  # "já tá bem": clears a cue anywhere in the message
    now: Sequence[Match]  # "agora": stands between a marker and a cue and keeps the cue


@dataclass(frozen=True)
class Context:
    tokens: Sequence[Token]
    writing: Writing
    markers: Markers
    negation_window: int

    def negated(self, cue: Match) -> bool:
        return self.writing.negates(self.tokens, cue, self.negation_window)

    def in_the_past_or_hypothetical(self, cue: Match) -> bool:
        markers = self.markers
        return (
            any(self._same_clause(m, cue) and not self._now_between(m, cue) for m in markers.past)
            or any(self._before_in_clause(m, cue) for m in markers.hypothetical)
            or any(not self._now_between(m, cue) for m in markers.resolved)
        )

    def about_money(self, cue: Match) -> bool:
        return any(self._before_in_clause(m, cue) for m in self.markers.billing)

    def _clause(self, match: Match) -> int:
        return self.tokens[match.start].clause

    def _same_clause(self, marker: Match, cue: Match) -> bool:
        return self._clause(marker) == self._clause(cue)

    def _before_in_clause(self, marker: Match, cue: Match) -> bool:
        return (
            marker.end < cue.start
            and self._same_clause(marker, cue)
            and not self._now_between(marker, cue)
        )

    def _now_between(self, first: Match, second: Match) -> bool:
        left, right = sorted((first, second), key=lambda match: match.start)
        return any(left.end < now.start and now.end < right.start for now in self.markers.now)
