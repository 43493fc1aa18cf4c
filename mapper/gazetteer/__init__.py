"""The offline gazetteer: compiled from package data and project tables, queried by name."""

from .store import Candidate, Gazetteer

__all__ = ["Candidate", "Gazetteer"]
