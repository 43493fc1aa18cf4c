"""Given names of many languages, to tell a person's name from a place's.

They come from Faker's person providers (MIT licence), which keep the common given names of
some 80 locales: English of several countries, Pakistani, Indian, Nigerian (Hausa, Igbo,
Yoruba), Kenyan and Swahili, Arabic in Latin letters, Persian, Turkish, Spanish, French,
Russian and more. Only names in Latin letters are kept: news in English writes them so. The
providers are read once per process (about a quarter of a second), the first time recognition
asks whether a word is a given name.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from functools import cache

from ..text.names import is_latin

__all__ = ["given_names"]

# What a provider may call its lists of given names.
_LISTS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")


@cache
def given_names() -> frozenset[str]:
    """Every given name the providers know, in lower case."""
    import faker.providers.person as providers

    out: set[str] = set()
    for module in pkgutil.iter_modules(providers.__path__):
        provider = importlib.import_module(f"{providers.__name__}.{module.name}").Provider
        for attribute in _LISTS:
            names = _names(getattr(provider, attribute, None))
            out.update(n.lower() for n in names if is_latin(n))
    return frozenset(out)


def _names(value: object) -> Iterable[str]:
    """The names of a provider's list: a sequence of names, or names weighted by frequency (a
    mapping); nothing for what is neither (a property of the class)."""
    if isinstance(value, (dict, list, tuple)):
        return [n for n in value if isinstance(n, str)]
    return ()
