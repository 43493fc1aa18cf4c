"""The stages over a folder of articles (``build``: the stage list, written once), the event
store kept between builds (``store``), the cross-article merge (``merge``), a reviewer's
corrections and the watch mode.

>>> from mapper.pipeline import Pipeline  # Pipeline(Gazetteer()).build(seeds, out)
"""

from .build import BuildResult, Events, Pipeline

__all__ = ["BuildResult", "Events", "Pipeline"]
