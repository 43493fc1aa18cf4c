"""A build: the stages over a folder of articles (``pipeline``), the event store kept between
builds (``store``), the cross-article merge (``merge``), a reviewer's corrections and the
watch mode."""
