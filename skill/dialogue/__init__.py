"""The conversation as one pure table: decide(state, event) -> Decision (no Alexa imports)."""
from .reply import Card, Decision, Event, Pick, Ref, RefList, Say
from .table import EVENTS, decide

__all__ = ["Card", "Decision", "Event", "EVENTS", "Pick", "Ref", "RefList", "Say", "decide"]
