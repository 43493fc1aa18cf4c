"""The event types' colours stay apart for readers with the common colour-vision deficiencies
and stand out against the basemap, as computed from the colours the map ships."""

import itertools
import warnings

import numpy as np
import pytest

from mapper.output.render import LAND_COLOR, TYPE_STYLES

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # colour-science warns of optional packages it lacks
    import colour

# Full dichromacy as Machado et al. (2009) simulate it (tritanopia: their largest shift).
DEFICIENCIES = ("Protanomaly", "Deuteranomaly", "Tritanomaly")
MIN_DELTA_E = 10.0
MIN_CONTRAST = 3.0  # WCAG 2.1 for graphics


def rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])


def seen(hex_colour: str, deficiency: str | None) -> np.ndarray:
    """The colour in CIE Lab as a reader with ``deficiency`` (None: normal vision) sees it."""
    value = rgb(hex_colour)
    if deficiency is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            matrix = colour.blindness.matrix_cvd_Machado2009(deficiency, 1.0)
        linear = np.clip(colour.cctf_decoding(value) @ matrix.T, 0, 1)
        value = colour.cctf_encoding(linear)
    return colour.XYZ_to_Lab(colour.sRGB_to_XYZ(value))


def luminance(hex_colour: str) -> float:
    linear = colour.cctf_decoding(rgb(hex_colour))
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


COLOURS = {name: style["color"] for name, style in TYPE_STYLES.items()}


@pytest.mark.parametrize("deficiency", [None, *DEFICIENCIES])
def test_every_two_event_colours_differ_by_at_least_delta_e_10(deficiency):
    closest = min(
        (
            float(colour.delta_E(seen(a, deficiency), seen(b, deficiency), method="CIE 2000")),
            na,
            nb,
        )
        for (na, a), (nb, b) in itertools.combinations(COLOURS.items(), 2)
    )
    assert closest[0] >= MIN_DELTA_E, closest


def test_the_simulation_tells_apart_what_it_should():
    # the check can fail: red and green, far apart to most readers, merge under deuteranopia
    red, green = "#d7191c", "#1a9641"

    def distance(deficiency):
        return colour.delta_E(seen(red, deficiency), seen(green, deficiency), method="CIE 2000")

    assert distance(None) > 40 > 10 > distance("Deuteranomaly")


@pytest.mark.parametrize("name", sorted(COLOURS))
def test_every_event_colour_stands_out_three_to_one_against_the_land(name):
    light, dark = sorted((luminance(LAND_COLOR), luminance(COLOURS[name])), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= MIN_CONTRAST


def test_every_type_has_its_own_shape_too():
    shapes = [style["shape"] for style in TYPE_STYLES.values()]
    assert len(set(shapes)) == len(shapes)
