"""Place names in a text: recognised (``recognise``), resolved against the gazetteer
(``resolve``), and the border two countries share (``borders``)."""
