"""The offline gazetteer: compiled from package data and project tables, queried by name."""

from .store import Candidate, Gazetteer

__all__ = ["Candidate", "Gazetteer", "GazetteerGeocoder"]


def __getattr__(name: str):
    # geopy is only imported by those who use the geocoder.
    if name == "GazetteerGeocoder":
        from .geocoder import GazetteerGeocoder

        return GazetteerGeocoder
    raise AttributeError(name)
