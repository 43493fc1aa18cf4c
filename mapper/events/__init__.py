"""Events of one article: what happened, where, when, who, and how many were killed."""

from .extract import Extraction, extract

__all__ = ["Extraction", "extract"]
