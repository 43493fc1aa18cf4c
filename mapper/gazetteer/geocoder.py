"""``GazetteerGeocoder``: the offline gazetteer behind geopy's geocoder interface.

Works wherever geopy geocoders do, including ``geopandas.tools.geocode(names,
provider=GazetteerGeocoder)``. It never touches the network, unless given an ``online``
geocoder (opt-in): then names the gazetteer does not know are asked once, through geopy's
``RateLimiter``, and the answers are kept in the gazetteer as places of their own source.
"""

from __future__ import annotations

import os
from pathlib import Path

from geopy.exc import GeocoderQueryError
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from ..types import Place
from .online import OnlineCache
from .store import Gazetteer

__all__ = ["GazetteerGeocoder"]

DEFAULT_USER_AGENT_ENV = "MAPPER_USER_AGENT"


def _address(place: Place) -> str:
    parts = [place.name, place.admin2, place.admin1, place.country]
    return ", ".join(dict.fromkeys(p for p in parts if p))


class GazetteerGeocoder(Geocoder):
    """Geocode place names against mapper's offline gazetteer.

    Parameters
    ----------
    gazetteer
        An open :class:`Gazetteer`; by default the one in ``folder``.
    folder
        The user's gazetteer folder (default: :func:`.folders.default_folder`).
    country
        Default ISO 3166 alpha-2 country restriction for every query.
    online
        Opt-in fallback: a geopy geocoder instance, or ``"nominatim"`` to use OpenStreetMap's
        Nominatim with ``user_agent`` (or ``$MAPPER_USER_AGENT``). Off by default.
    min_delay_seconds
        Delay between online requests (geopy ``RateLimiter``).
    """

    def __init__(
        self,
        *,
        gazetteer: Gazetteer | None = None,
        folder: str | Path | None = None,
        country: str | None = None,
        online: Geocoder | str | None = None,
        user_agent: str | None = None,
        min_delay_seconds: float = 1.0,
        timeout=DEFAULT_SENTINEL,
    ) -> None:
        super().__init__(timeout=timeout, user_agent=user_agent or "mapper-gazetteer")
        self.gazetteer = gazetteer or Gazetteer(folder)
        self.country = country
        self._online = None
        self._online_name = ""
        if online is not None:
            self._setup_online(online, user_agent, min_delay_seconds)

    def _setup_online(self, online, user_agent, min_delay_seconds) -> None:
        from geopy.extra.rate_limiter import RateLimiter

        if isinstance(online, str):
            from geopy.geocoders import get_geocoder_for_service

            agent = user_agent or os.environ.get(DEFAULT_USER_AGENT_ENV)
            if not agent:
                raise GeocoderQueryError(
                    "an online geocoder needs a user agent:"
                    f" pass user_agent= or set ${DEFAULT_USER_AGENT_ENV}"
                )
            online = get_geocoder_for_service(online)(user_agent=agent)
        self._online_name = type(online).__name__
        self._online = RateLimiter(
            online.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=1,
            swallow_exceptions=False,
        )

    def geocode(
        self, query, *, exactly_one=True, timeout=DEFAULT_SENTINEL, country=None, limit=None
    ):
        """Places named ``query``: a Location (``exactly_one``), a list, or None on a miss.

        ``country`` restricts to an ISO alpha-2 code; ``limit`` caps the list.
        """
        if not isinstance(query, str) or not query.strip():
            raise GeocoderQueryError(f"expected a place name as a non-empty string, got {query!r}")
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            raise GeocoderQueryError(f"expected limit as a positive integer, got {limit!r}")
        country = country or self.country
        wanted = 1 if exactly_one else (limit or 10)
        found = self.gazetteer.search(query, country=country, limit=wanted)
        if not found and self._online is not None:
            found = self._ask_online(query, country, wanted)
        if not found:
            return None
        locations = [
            Location(
                _address(c.place),
                (c.place.lat, c.place.lon),
                {**c.place.to_record(), "match": c.match},
            )
            for c in found
        ]
        return locations[0] if exactly_one else locations

    def _ask_online(self, query: str, country: str | None, wanted: int) -> list:
        cache = OnlineCache(self.gazetteer.folder)
        try:
            if not cache.asked(query, country, self._online_name):
                kwargs = {"exactly_one": False}
                if country and self._online_name == "Nominatim":
                    kwargs["country_codes"] = country.lower()
                answers = self._online(query, **kwargs) or []
                cache.put(query, country, self._online_name, list(answers)[:wanted])
        finally:
            cache.close()
        self.gazetteer.refresh()
        return self.gazetteer.search(query, country=country, limit=wanted, fuzzy=False)
